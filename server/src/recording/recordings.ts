/**
 * Which rooms record, and where: with RECORD_DIR every room records itself from its creation; the
 * admin API starts and stops a room's recording on demand (into RECORD_DIR, else ./recordings).
 * Each recording is one file, `<mode>-<room>-<time>.tfrec` (docs/replay.md).
 */
import type { Room } from '../room';
import type { RecorderStatus } from '../room/tick-recorder';
import { RoomRecorder } from './room-recorder';
import { recordingFile, recordingFileName } from './recording-file';

export interface RecordingsOptions {
  dir: string;
  maxBytes: number;
  log: { error(obj: object, msg: string): void };
}

export class Recordings {
  constructor(private readonly options: RecordingsOptions) {}

  /** Starts recording `room` (or returns the running recording's status). */
  start(room: Room): RecorderStatus {
    const { dir, maxBytes, log } = this.options;
    const recorder = room.startRecording((start) => {
      const file = recordingFileName(dir, room.mode.name, room.id);
      const sink = recordingFile(file, (err) => log.error({ err, room: room.id, file }, 'writing the recording failed; it stops here'));
      return new RoomRecorder(start, sink, { maxBytes, name: file });
    });
    return recorder.status;
  }

  /** Stops `room`'s recording; resolves once the file is complete. */
  async stop(room: Room): Promise<RecorderStatus | undefined> {
    const status = room.recording?.status;
    await room.stopRecording('stopped by an operator');
    return status;
  }
}
