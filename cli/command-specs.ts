/**
 * Every paychaos command, as data (command-spec.ts): adding a command or a flag is one entry
 * here with its help text, and the parser, `--help` and the README's command list follow. The
 * commands import their spec's type from here; command-table.ts ties each spec to its
 * implementation (kept apart so that no command imports the table that loads it).
 */
import { BUG_FLAGS } from '../scenario-dsl/bug-flags.ts';
import type { CommandSpec } from './command-spec.ts';

const OUT_FLAG = {
  name: 'out',
  value: 'DIR',
  help: 'where run directories go (default: runs); <DIR>/latest points at the newest',
} as const;

const BANK_BUG_FLAG = {
  name: 'bank-bug',
  value: 'FLAG',
  repeatable: true,
  help: `plant a bug in the reference bank (repeatable): ${BUG_FLAGS.join(', ')}`,
} as const;

const TARGET_FLAG = {
  name: 'target',
  value: 'TARGET',
  help: 'where the scenario runs: sim, the deterministic simulator (default); local, real engines on this machine in real time (docs/local-lab.md); aws, a game day on your own AWS regions (needs --config; docs/game-day.md)',
} as const;

const FORCE_FLAG = {
  name: 'force',
  help: 'overwrite an output file that already exists',
} as const;

export const RUN = {
  name: 'run',
  summary: 'run a scenario and judge its history',
  details:
    'Writes <out>/<scenario>/<UTC time>-seed<N>/ (history.jsonl as the run goes, results.json, run.json, report.html, junit.xml, summary.md), prints the verdict and the line that reproduces the run, and exits by the verdict.',
  arguments: [{ name: 'scenario.ts', help: 'a scenario file (docs/scenarios.md)' }],
  flags: [
    TARGET_FLAG,
    { name: 'seed', value: 'N', help: "the simulator's seed (default: the scenario's seed)" },
    OUT_FLAG,
    BANK_BUG_FLAG,
    {
      name: 'load',
      value: 'DRIVER',
      help: 'the load driver: node (default; in this process), or artillery (the pinned Artillery, several worker processes per region, --target local or aws; docs/artillery.md)',
    },
    {
      name: 'artillery-workers',
      value: 'N',
      help: 'with --load artillery: Artillery processes per region, each its own worker with its own clock and op log (default: 2)',
    },
    {
      name: 'config',
      value: 'FILE',
      help: 'with --target aws: the game day config, paychaos.aws.ts (docs/game-day.md)',
    },
    {
      name: 'endpoint',
      value: 'REGION=URL',
      repeatable: true,
      help: 'with --target local: drive your own service at http://host:port in REGION instead of starting the lab, one per region of the scenario (docs/own-service.md)',
    },
  ],
} as const satisfies CommandSpec;

export const REPLAY = {
  name: 'replay',
  summary: 'rerun a simulator run and check the history is byte-identical',
  details:
    "Runs the resolved scenario and seed recorded in the run's run.json again, into a new run directory beside it (<out>/latest stays on the run replayed), and exits by the verdict; 70 naming the first differing line when the bytes differ.",
  arguments: [{ name: 'run-dir', help: 'a run directory written by paychaos run' }],
  flags: [
    {
      name: 'out',
      value: 'DIR',
      help: 'where the replay goes (default: beside the run replayed)',
    },
  ],
} as const satisfies CommandSpec;

export const EXPLORE = {
  name: 'explore',
  summary: 'search fault schedules for a violation and shrink it',
  details:
    "Searches the space the scenario's explore section leaves open, stops at the first violated invariant, shrinks it and writes the minimal failing run with a standalone scenario file (docs/explore.md). Exit 1 on a violation, 0 when every run passed.",
  arguments: [{ name: 'scenario.ts', help: 'a scenario file with an explore section' }],
  flags: [
    { name: 'runs', value: 'N', help: 'runs to try before giving up (default: 100)' },
    { name: 'seed', value: 'N', help: "fast-check's seed (default: random, printed)" },
    { name: 'path', value: 'P', help: "fast-check's path, to resume a search (such as 12:0:3)" },
    OUT_FLAG,
    BANK_BUG_FLAG,
    { name: 'correct-bank', help: "run the correct bank, without the scenario's planted bugs" },
  ],
} as const satisfies CommandSpec;

export const CHECK = {
  name: 'check',
  summary: 'judge histories with the checkers',
  details:
    'Runs every checker whose ops appear in the history (or those named), prints a summary per history and exits by the worst verdict: 0 valid, 1 invalid, 2 unknown. In a run directory it also writes results.json.',
  arguments: [{ name: 'history', help: 'a history.jsonl, or a run directory', many: true }],
  flags: [
    {
      name: 'checker',
      value: 'NAME',
      repeatable: true,
      help: 'run only this checker (repeatable): balance, lww, saga, linearizable, slo',
    },
    { name: 'json', help: "print the full results (each anomaly's ops and details) as JSON" },
    {
      name: 'timeout',
      value: 'S',
      help: "each checker's time budget in seconds, after which its verdict is unknown (default: 60)",
    },
  ],
} as const satisfies CommandSpec;

export const REPORT = {
  name: 'report',
  summary: "write a run's report.html, junit.xml and summary.md",
  details: "Written at the end of every run as well; exits by the run's verdict.",
  arguments: [{ name: 'run-dir', help: 'a run directory' }],
  flags: [],
} as const satisfies CommandSpec;

export const SUITE = {
  name: 'suite',
  summary: 'run a folder of scenarios and index their reports',
  details:
    'Runs every scenario module in the folder (not its subfolders), each into its own run directory, then writes <out>/suite-<UTC time>/ with index.html, junit.xml and summary.md. Exits by the worst verdict, or 65/70 when a scenario could not run.',
  arguments: [{ name: 'dir', help: 'a folder of scenario files' }],
  flags: [
    TARGET_FLAG,
    OUT_FLAG,
    { name: 'seed', value: 'N', help: "one seed for every scenario (default: each scenario's)" },
  ],
} as const satisfies CommandSpec;

export const IMPORT = {
  name: 'import',
  summary: 'convert Jepsen histories, or merge Artillery op logs, to history.jsonl',
  details:
    "jepsen reads Jepsen history.edn or the Jepsen text log (docs/history-import.md). artillery merges per-worker op logs (files, or directories of *.jsonl) into one history by corrected time, each op widened by its worker's clock bound (docs/artillery.md). Never writes over an input, nor over an existing file without --force; writes a temporary file and renames it when complete.",
  arguments: [
    { name: 'format', help: 'the input format', choices: ['jepsen', 'artillery'] },
    {
      name: 'file',
      help: 'a Jepsen history (several need -o DIR/); for artillery, op logs or directories of them, all merged into one history',
      many: true,
    },
  ],
  flags: [
    {
      name: 'output',
      short: 'o',
      value: 'FILE|DIR/',
      help: 'the history to write (default: history.jsonl here); a directory for several inputs',
    },
    FORCE_FLAG,
    {
      name: 'eventual',
      help: 'import registers as eventually consistent (LWW) keys, not strongly consistent ones',
    },
    {
      name: 'accounts',
      value: 'LIST',
      help: "the Jepsen test map's bank accounts, as the history's init: a,b,c with --total (the whole total in the first), or a=N,b=M",
    },
    {
      name: 'total',
      value: 'N',
      help: 'with --accounts a,b,c: the bank total in minor units',
    },
    {
      name: 'nil-read',
      value: 'unknown|empty',
      help: "what an ok read of nil means: unknown (the value is not known, as in Jepsen's register models; default for Jepsen input) or empty (the register held nothing)",
    },
  ],
} as const satisfies CommandSpec;

export const EXPORT = {
  name: 'export',
  summary: 'write a history as Jepsen EDN',
  details:
    'One op map a line, to stdout or to -o. Never writes over the input, nor over an existing file without --force.',
  arguments: [
    { name: 'format', help: 'the output format', choices: ['edn'] },
    { name: 'history', help: 'a history.jsonl' },
  ],
  flags: [
    { name: 'output', short: 'o', value: 'FILE', help: 'the file to write (default: stdout)' },
    FORCE_FLAG,
  ],
} as const satisfies CommandSpec;

export const ARTILLERY = {
  name: 'artillery',
  summary: 'write an Artillery bundle of a scenario: load past one machine',
  details:
    "Writes DIR/artillery.json (one environment per region: `artillery run -e <region>`), DIR/processor.cjs (the Node driver's generators and client, bundled by esbuild, logging every op to a per-worker op log with clock samples, put in S3 with --oplog-s3) and DIR/plan.json; with --fargate also DIR/RUN-FARGATE.md, the `artillery run-fargate` steps; `paychaos import artillery` merges the logs into one history (docs/artillery.md).",
  arguments: [
    { name: 'action', help: 'what to do', choices: ['bundle'] },
    { name: 'scenario.ts', help: 'a scenario file (docs/scenarios.md)' },
  ],
  flags: [
    {
      name: 'output',
      short: 'o',
      value: 'DIR',
      help: 'where the bundle goes (default: artillery-bundle)',
    },
    FORCE_FLAG,
    { name: 'seed', value: 'N', help: "the generators' seed (default: the scenario's)" },
    {
      name: 'endpoint',
      value: 'REGION=URL',
      repeatable: true,
      help: "a region's bank URL, baked into the script (repeatable); without: PAYCHAOS_ENDPOINTS at run time",
    },
    {
      name: 'clock-url',
      value: 'URL',
      help: "the harness clock the workers sample; without: PAYCHAOS_CLOCK_URL at run time, else each worker's wall clock within --wall-clock-error-ms",
    },
    {
      name: 'wall-clock-error-ms',
      value: 'MS',
      help: "the error declared for a worker's wall clock when no harness clock is reachable (default: 10)",
    },
    {
      name: 'fargate',
      help: 'prepare `artillery run-fargate`: phases for --count workers a region, DIR/RUN-FARGATE.md and the IAM policy; needs --oplog-s3 and --endpoint',
    },
    {
      name: 'oplog-s3',
      value: 's3://BUCKET/PREFIX',
      help: "where each worker puts its op log (every 10 s and at its end); without: PAYCHAOS_OPLOG_S3 at run time, else the worker's disk only",
    },
    {
      name: 'region',
      value: 'R',
      help: "with --fargate: the AWS region every region's workers run in (default: each scenario region's own name)",
    },
    {
      name: 'count',
      value: 'N',
      help: 'with --fargate: Fargate workers a region (default: 1)',
    },
  ],
} as const satisfies CommandSpec;

export const LAB = {
  name: 'lab',
  summary: 'bring the local lab of real engines up, down, or say its status',
  details:
    'up starts moto per region, a PostgreSQL primary and streaming replica, and Toxiproxy with a proxy on every link, all on 127.0.0.1 (docs/local-lab.md), and returns leaving them running; down stops every process the lab recorded, also after a harness that started it was killed; status lists them. Exit 69 when an engine is not provisioned (scripts/provision-lab.sh) or a lab already runs there. $PAYCHAOS_MOTO_NICENESS (0..19, default 0) runs moto at that niceness, below the processes a request waits for (exit 64 for anything else).',
  arguments: [{ name: 'action', help: 'what to do', choices: ['up', 'down', 'status'] }],
  flags: [
    {
      name: 'dir',
      value: 'DIR',
      help: "the lab's state: pid files, data, logs, ports (default: $PAYCHAOS_LAB_DIR, else .paychaos/lab)",
    },
    {
      name: 'regions',
      value: 'R1,R2',
      help: 'the regions to bring up (default: ap-northeast-1,ap-northeast-3)',
    },
    {
      name: 'writer',
      value: 'R',
      help: "the SQL writer's region (default: the first of --regions)",
    },
    {
      name: 'lab',
      value: 'KIND',
      help: 'processes (default: the engines as local processes) or containers (the same lab through testcontainers; needs Docker or Podman, refused in one line where none is found; docs/local-lab.md)',
    },
  ],
} as const satisfies CommandSpec;

export const FIS = {
  name: 'fis',
  summary: 'game days on AWS: plan FIS experiment templates, IAM policies, abort experiments',
  details:
    "plan prints the scenario's faults as FIS experiment templates for the config (paychaos.aws.ts, docs/game-day.md), or refuses a fault FIS cannot carry out by name (exit 64); it calls no AWS API unless --resolve. iam prints least-privilege policies for the FIS role and for the harness. abort verifies the caller against the allowlist (exit 77 when it does not match or cannot be verified) and stops every running experiment tagged managedBy=paychaos in the config's regions; with --engage-lever it then engages the FIS safety lever in each of them (exit 69 when a stop or a lever failed).",
  arguments: [
    { name: 'action', help: 'what to do', choices: ['plan', 'iam', 'abort'] },
    { name: 'scenario.ts', help: 'the scenario to plan (plan only)', optional: true },
  ],
  flags: [
    { name: 'config', value: 'FILE', help: 'the game day config (paychaos.aws.ts)' },
    { name: 'json', help: 'print JSON (plan, iam)' },
    {
      name: 'resolve',
      help: 'with plan: verify the caller, then dry-run each template on AWS (actions skipped, actionsMode skip-all) and list the targets FIS resolved; each template is deleted after',
    },
    {
      name: 'engage-lever',
      help: "with abort: after stopping paychaos's experiments, engage the FIS safety lever (id default) in every region of the config: FIS stops every experiment, paychaos's or not, and starts none until someone disengages it",
    },
  ],
} as const satisfies CommandSpec;
