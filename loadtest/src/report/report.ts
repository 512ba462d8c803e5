/**
 * The loadtest report: what `--out` writes as JSON, what the table, the HTML page and `--assert`
 * read. Units are in the names (ms, bytes, per client-second) so the JSON reads on its own.
 */
import type { BotCounters, Failures } from '../bot/bot-stats';
import type { LatencySummary } from '../histograms';
import type { LoadtestOptions } from '../options';
import type { TickWindow } from '../server-metrics';

/** One second of the run. `t` is seconds since the first bot started. */
export interface TimelinePoint {
  t: number;
  measuring: boolean;
  connected: number;
  /** Bots side, over the last second. */
  patchesPerS: number;
  bytesInPerS: number;
  rttP50Ms: number | null;
  rttP99Ms: number | null;
  ackP99Ms: number | null;
  errors: number;
  /** Loadtest process CPU (all threads), cores. */
  botCpuCores: number;
  /** Server side, between this scrape and the previous one (null when the scrape failed). */
  serverCpuCores: number | null;
  serverBytesOutPerS: number | null;
  serverClients: number | null;
  tickP50Ms: number | null;
  tickP99Ms: number | null;
  serverRssMB: number | null;
}

export interface ServerFigures {
  /** False when /metrics could not be read: every other field is then null. */
  available: boolean;
  avgClients: number | null;
  avgRooms: number | null;
  cpuCores: number | null;
  cpuMsPerClientSecond: number | null;
  rssEndMB: number | null;
  /** From before the first bot to the end of the window. */
  rssGrowthMB: number | null;
  /** Within the measured window only (a leak shows here). */
  rssWindowGrowthMB: number | null;
  tick: TickWindow | null;
  /** The same ticks without their patch writes to the sockets (the room's own work); null from a server without that histogram. */
  tickWork: TickWindow | null;
  /** Ticks per second per room, achieved. */
  tickRate: number | null;
  overruns: number | null;
  dropped: number | null;
  bytesOutPerClientSecond: number | null;
  bytesInPerClientSecond: number | null;
  patchesPerClientSecond: number | null;
  /** Connections the server closed in the window, by code. */
  closes: Record<string, number>;
  /** Server CPU one scrape of /metrics costs, ms (measured after the run, server idle); the loadtest scrapes once a second. */
  scrapeCpuMs: number | null;
  /** Server counters over the whole run (before the first bot to after the last closed). */
  totals: { bytesOut: number | null; patchesOut: number | null; bytesIn: number | null; messagesIn: number | null };
}

export interface BotFigures {
  target: number;
  joined: number;
  /** Welcomed bots connected at the end of the window. */
  connectedAtEnd: number;
  clientSeconds: number;
  patchesPerClientSecond: number | null;
  bytesInPerClientSecond: number | null;
  bytesOutPerClientSecond: number | null;
  inputsPerClientSecond: number | null;
  rtt: LatencySummary | null;
  ack: LatencySummary | null;
  /** Loadtest process CPU (every thread) in the window, cores, and per bot-second. */
  cpuCores: number;
  cpuMsPerBotSecond: number | null;
  /** Cores the loadtest may use (its CPU affinity). */
  cores: number;
  workers: number;
  /** Highest event-loop utilisation / p99 loop delay of any worker in the window. */
  workerEluMax: number;
  workerLoopDelayP99Ms: number;
  inputsLate: number;
  /** Whether the bots, not the server, may have been the limit, and why. */
  limited: boolean;
  limitReasons: string[];
  errors: number;
  failures: Failures;
  /** Bot counters over the whole run, after every bot closed. */
  totals: BotCounters;
  totalFailures: Failures;
}

export interface AssertionResult {
  text: string;
  key: string;
  ok: boolean;
  actual: number | null;
  message: string;
}

export interface Report {
  tool: 'tickforge-loadtest';
  version: 1;
  startedAt: string;
  options: LoadtestOptions;
  environment: { node: string; platform: string; cpus: number; cpuModel: string; loadtestCores: number };
  /** Measured window: seconds since the first bot started, and the same instants as epoch ms. */
  window: { from: number; to: number; seconds: number; fromEpochMs: number; toEpochMs: number };
  server: ServerFigures;
  bots: BotFigures;
  timeline: TimelinePoint[];
  /** Why the run ended early, if it did. */
  aborted: string | null;
  assertions: AssertionResult[];
  /** Against a cluster (several --url, or nodes the first reports): each node's share of the window. */
  nodes?: NodeFigures[];
}

export interface NodeFigures {
  url: string;
  avgClients: number | null;
  avgRooms: number | null;
  cpuCores: number | null;
  tickP99Ms: number | null;
}
