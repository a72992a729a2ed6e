// The anomaly timeline of report.html, drawn from the JSON embedded in the page (the perf charts
// are perf-charts-client.js's). No request leaves the page.
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const SVG = 'http://www.w3.org/2000/svg';
  const LANE_PX = 18;
  const LABEL_PX = 90;
  const WIDTH_PX = 1000;
  // 9 px labels: about 5.2 px a character, and a little room either side.
  const CHAR_PX = 5.2;
  const LABEL_PAD_PX = 6;

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  }

  function seconds(ms) {
    return `${(ms / 1000).toFixed(3)} s`;
  }

  function describeOp(op) {
    const span = op.c === null ? `#${op.i} (pending)` : `#${op.i}..#${op.c}`;
    const end = op.endMs === null ? 'never completed' : seconds(op.endMs);
    const region = op.region === null ? '' : ` in ${op.region}`;
    const error = op.error === null ? '' : `  error: ${op.error}`;
    return `${span}  process ${op.process}  ${op.f}${region}  ${op.type}\n${seconds(op.startMs)} -> ${end}  ${op.value}${error}`;
  }

  function opsNear(anomaly) {
    const windows = anomaly.ops
      .slice(0, data.indicesPerAnomalyMax)
      .map((index) => [index - data.linesAround, index + data.linesAround]);
    return data.ops.filter((op) => {
      const last = op.c === null ? op.i : op.c;
      return windows.some(([low, high]) => low <= last && op.i <= high);
    });
  }

  function laneOrder(ops) {
    const processes = [...new Set(ops.map((op) => op.process))];
    return processes.sort((a, b) =>
      typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
    );
  }

  function drawFaults(svg, x, startMs, endMs, height) {
    for (const fault of data.faults) {
      if (fault.endMs < startMs || fault.startMs > endMs) continue;
      const left = x(Math.max(fault.startMs, startMs));
      const width = Math.max(x(Math.min(fault.endMs, endMs)) - left, 2);
      const shape = svgElement('rect', {
        class: 'fault',
        x: left,
        y: 0,
        width,
        height,
        fill: data.palette.faults[fault.kind] || data.palette.faultOther,
      });
      const title = svgElement('title', {});
      title.textContent = `${fault.kind} ${fault.subject}`;
      shape.appendChild(title);
      svg.appendChild(shape);
    }
  }

  // The op's f and outcome where both fit in its box, its f alone where only that fits.
  function labelFor(op, widthPx) {
    const outcome = op.c === null ? 'pending' : op.type;
    for (const text of [`${op.f} ${outcome}`, op.f]) {
      if (text.length * CHAR_PX + LABEL_PAD_PX <= widthPx) return text;
    }
    return null;
  }

  function drawOps(svg, ops, lanes, x, named, endMs) {
    const detail = document.getElementById('op-detail');
    for (const op of ops) {
      const lane = lanes.indexOf(op.process);
      const left = x(op.startMs);
      const right = x(op.endMs === null ? endMs : op.endMs);
      const isNamed = named.has(op.i) || (op.c !== null && named.has(op.c));
      const box = svgElement('rect', {
        class: `op ${op.type}${isNamed ? ' named' : ''}`,
        'data-index': op.i,
        x: left,
        y: lane * LANE_PX + 3,
        width: Math.max(right - left, 2),
        height: LANE_PX - 6,
      });
      const title = svgElement('title', {});
      title.textContent = describeOp(op);
      box.appendChild(title);
      box.addEventListener('mouseenter', () => {
        detail.textContent = describeOp(op);
      });
      svg.appendChild(box);
      const text = labelFor(op, right - left);
      if (text !== null) {
        const label = svgElement('text', {
          class: 'op-label',
          x: left + 3,
          y: lane * LANE_PX + 13,
        });
        label.textContent = text;
        svg.appendChild(label);
      }
    }
  }

  function drawTimeline(n) {
    const anomaly = data.anomalies[n];
    const host = document.getElementById('timeline');
    const heading = document.getElementById('timeline-title');
    host.textContent = '';
    for (const item of document.querySelectorAll('.anomaly.selected')) {
      item.classList.remove('selected');
    }
    const item = document.getElementById(`anomaly-${n}`);
    item?.classList.add('selected');
    const group = item?.closest('details');
    if (group) group.open = true;
    const named = new Set(anomaly.ops);
    const lines = data.namedLines.filter((line) => named.has(line.index));
    const lineText = lines.map((line) => `#${line.index} ${line.f} (${line.summary})`).join('; ');
    heading.textContent = `Timeline of anomaly ${n + 1}: ${anomaly.type}: ${anomaly.message}${lineText ? ` (also names ${lineText})` : ''}`;
    const ops = opsNear(anomaly);
    if (ops.length === 0) {
      host.textContent = 'No client op lies near the lines this anomaly names.';
      return;
    }
    const startMs = Math.min(...ops.map((op) => op.startMs));
    const endMs = Math.max(...ops.map((op) => (op.endMs === null ? op.startMs : op.endMs)));
    const spanMs = Math.max(endMs - startMs, 1);
    const x = (ms) => LABEL_PX + ((ms - startMs) / spanMs) * (WIDTH_PX - LABEL_PX - 10);
    const lanes = laneOrder(ops);
    const height = lanes.length * LANE_PX + 24;
    const svg = svgElement('svg', { viewBox: `0 0 ${WIDTH_PX} ${height}`, width: '100%' });
    drawFaults(svg, x, startMs, endMs, height - 24);
    lanes.forEach((process, lane) => {
      const label = svgElement('text', { x: 4, y: lane * LANE_PX + 13 });
      label.textContent = `process ${process}`;
      svg.appendChild(label);
    });
    drawOps(svg, ops, lanes, x, named, endMs);
    for (const [ms, anchor] of [
      [startMs, 'start'],
      [endMs, 'end'],
    ]) {
      const tick = svgElement('text', { x: x(ms), y: height - 6, 'text-anchor': anchor });
      tick.textContent = seconds(ms);
      svg.appendChild(tick);
    }
    host.appendChild(svg);
  }

  // A link to a catalogue entry kept behind the closed "other anomalies" row opens it first.
  function revealTarget() {
    const target = location.hash === '' ? null : document.getElementById(location.hash.slice(1));
    const closed = target?.closest('details:not([open])');
    if (closed) {
      closed.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener('hashchange', revealTarget);
  revealTarget();

  for (const button of document.querySelectorAll('.show-timeline')) {
    button.addEventListener('click', () => {
      drawTimeline(Number(button.dataset.n));
      document.getElementById('timeline-title').scrollIntoView({ behavior: 'smooth' });
    });
  }
  if (data.anomalies.length > 0) drawTimeline(data.lead);
})();
