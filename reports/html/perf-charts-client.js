// The perf charts, drawn by uPlot (inlined before this script) from the series embedded in the
// page: throughput and latency per region over time, each fault's window shaded by kind behind
// the lines, and a tick along the top edge where each anomaly happened, so cause and effect sit
// on one axis. The two charts share one cursor: uPlot's legend reads each series under it, and
// #chart-readout names the time, the faults active then and the anomalies in that bucket. With
// no cursor, the legends show each series' value in the last bucket that had completions.
// No request leaves the page.
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const series = data.series;
  const palette = data.palette;
  const HEIGHT_PX = 260;
  const FAULT_ALPHA = 0.45;
  const DASH_PX = [5, 3];
  const INSTANT_DASH_PX = [4, 2];
  const MARK_HEIGHT_PX = 10;
  const MARK_WIDTH_PX = 2;
  const xMaxS = Math.max(data.chartEndMs, 1) / 1000;
  const marked = data.anomalies.filter((anomaly) => anomaly.atMs !== null);

  // The bucket legends show with no cursor: the last one in which any op completed.
  function restingBucket() {
    let last = series.bucketsCount - 1;
    const busy = (bucket) =>
      series.regions.some(
        (region) =>
          region.okPerSec[bucket] + region.failPerSec[bucket] + region.infoPerSec[bucket] > 0,
      );
    while (last > 0 && !busy(last)) last -= 1;
    return Math.max(last, 0);
  }
  const restIdx = restingBucket();

  const round2 = (value) => Math.round(value * 100) / 100;
  const regionColour = (position) => palette.regions[position % palette.regions.length];
  const faultColour = (kind) => palette.faults[kind] || palette.faultOther;
  const positive = (values) => values.map((value) => (value !== null && value > 0 ? value : null));

  function throughputLines() {
    return series.regions.flatMap((region, position) => [
      { label: `${region.region} ok/s`, position, dashed: false, values: region.okPerSec },
      {
        label: `${region.region} fail+info/s`,
        position,
        dashed: true,
        values: region.failPerSec.map((value, bucket) =>
          round2(value + (region.infoPerSec[bucket] ?? 0)),
        ),
      },
    ]);
  }

  // A log axis cannot place zero: a bucket without a latency is a gap, as is an empty one.
  function latencyLines() {
    return series.regions.flatMap((region, position) => [
      { label: `${region.region} p50`, position, dashed: false, values: positive(region.p50Ms) },
      { label: `${region.region} p99`, position, dashed: true, values: positive(region.p99Ms) },
    ]);
  }

  function shadeFaults(plot) {
    const context = plot.ctx;
    const ratio = uPlot.pxRatio;
    const { top, height } = plot.bbox;
    context.save();
    for (const fault of data.faults) {
      const left = plot.valToPos(fault.startMs / 1000, 'x', true);
      const colour = faultColour(fault.kind);
      if (fault.instant) {
        context.globalAlpha = 1;
        context.strokeStyle = colour;
        context.lineWidth = 2 * ratio;
        context.setLineDash(INSTANT_DASH_PX.map((px) => px * ratio));
        context.beginPath();
        context.moveTo(left, top);
        context.lineTo(left, top + height);
        context.stroke();
      } else {
        const right = plot.valToPos(fault.endMs / 1000, 'x', true);
        context.globalAlpha = FAULT_ALPHA;
        context.fillStyle = colour;
        context.fillRect(left, top, Math.max(right - left, ratio), height);
      }
    }
    context.restore();
  }

  // Over the lines, so a tick is never hidden; one per pixel column is enough.
  function markAnomalies(plot) {
    if (marked.length === 0) return;
    const context = plot.ctx;
    const ratio = uPlot.pxRatio;
    const { left, top, width } = plot.bbox;
    const widthPx = MARK_WIDTH_PX * ratio;
    const drawn = new Set();
    context.save();
    context.globalAlpha = 1;
    context.fillStyle = palette.anomaly;
    for (const anomaly of marked) {
      const x = Math.round(plot.valToPos(anomaly.atMs / 1000, 'x', true));
      if (x < left || x > left + width || drawn.has(x)) continue;
      drawn.add(x);
      context.fillRect(x - widthPx / 2, top, widthPx, MARK_HEIGHT_PX * ratio);
    }
    context.restore();
  }

  function anomaliesNear(ms) {
    const halfMs = series.bucketMs / 2;
    const counts = new Map();
    for (const anomaly of marked) {
      if (Math.abs(anomaly.atMs - ms) <= halfMs) {
        counts.set(anomaly.type, (counts.get(anomaly.type) || 0) + 1);
      }
    }
    if (counts.size === 0) return '';
    const text = [...counts].map(([type, count]) => `${type} x${count}`).join(', ');
    return `; anomalies here: ${text}`;
  }

  function showReadout(plot) {
    const left = plot.cursor.left;
    if (left === undefined || left < 0) return;
    const ms = plot.posToVal(left, 'x') * 1000;
    const active = data.faults
      .filter((fault) => fault.startMs <= ms && ms <= Math.max(fault.endMs, fault.startMs))
      .map((fault) => `${fault.kind} ${fault.subject}`.trim());
    const faults = active.length === 0 ? 'no fault active' : `faults active: ${active.join(', ')}`;
    document.getElementById('chart-readout').textContent =
      `at ${(ms / 1000).toFixed(3)} s: ${faults}${anomaliesNear(ms)}`;
  }

  // uPlot asks for a legend value with a null index when no cursor is on the chart: the
  // resting bucket's value then, so the legend reads without hovering.
  const valueText = (unit) => (plot, value, seriesIdx, idx) => {
    const shown = idx === null || idx === undefined ? plot.data[seriesIdx][restIdx] : value;
    return shown === null || shown === undefined ? '-' : `${threeDigits(shown)}${unit}`;
  };
  // Three significant digits at most: 31.4 ms, 2.35 ms, 148/s.
  function threeDigits(value) {
    const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
    return String(Number(value.toFixed(digits)));
  }
  const timeText = (plot, value, _seriesIdx, idx) => {
    if (idx === null || idx === undefined) return `${plot.data[0][restIdx].toFixed(1)} s (last)`;
    return value === null ? '-' : `${value.toFixed(1)} s`;
  };

  function options(chart, lines, widthPx) {
    const yRange = chart.logY
      ? (_plot, min, max) => uPlot.rangeLog(min > 0 ? min : 1, max > 0 ? max : 10, 10, true)
      : (_plot, _min, max) => [0, max > 0 ? max * 1.1 : 1];
    return {
      width: widthPx,
      height: HEIGHT_PX,
      cursor: { sync: { key: 'perf' } },
      scales: {
        x: { time: false, range: () => [0, xMaxS] },
        y: chart.logY ? { distr: 3, log: 10, range: yRange } : { range: yRange },
      },
      axes: [{ label: 'time (s)' }, { label: chart.yLabel, size: 60 }],
      series: [
        { label: 'time', value: timeText },
        ...lines.map((line) => ({
          label: line.label,
          stroke: regionColour(line.position),
          width: 1.5,
          dash: line.dashed ? DASH_PX : undefined,
          value: valueText(chart.unit),
        })),
      ],
      hooks: { drawAxes: [shadeFaults], draw: [markAnomalies], setCursor: [showReadout] },
    };
  }

  function draw(chart) {
    const host = document.querySelector(`#${chart.id} .chart-plot`);
    host.textContent = '';
    const lines = chart.lines();
    const xs = Array.from(
      { length: series.bucketsCount },
      (_, bucket) => ((bucket + 0.5) * series.bucketMs) / 1000,
    );
    return new uPlot(
      options(chart, lines, host.clientWidth),
      [xs, ...lines.map((line) => line.values)],
      host,
    );
  }

  const charts = [
    { id: 'chart-throughput', yLabel: 'ops/s', unit: '/s', logY: false, lines: throughputLines },
    { id: 'chart-latency', yLabel: 'latency (ms)', unit: ' ms', logY: true, lines: latencyLines },
  ];
  const plots = charts.map((chart) => ({ chart, plot: draw(chart) }));
  window.addEventListener('resize', () => {
    for (const { chart, plot } of plots) {
      const host = document.querySelector(`#${chart.id} .chart-plot`);
      plot.setSize({ width: host.clientWidth, height: HEIGHT_PX });
    }
  });
})();
