/**
 * A client's messages to its room (Quake III's SV_ExecuteClientMessage): decode, check the
 * sequence rule, apply the flood limit, then act. Anything malformed or out of order closes that
 * client only, with a precise close code; sustained floods close it, short bursts are dropped.
 *
 * - INPUT: sequence numbers strictly increase and never jump by more than SEQ_MAX_JUMP (a client
 *   that skips a billion would make its acks meaningless); the frame joins the input queue with
 *   its arrival time (the queue measures the client's jitter from it) and its view tick.
 * - PING: answered at once with a PONG carrying the server's clock.
 * - LEAVE: the connection closes normally and the player leaves at the next tick.
 * - CHAT: relayed to every client that has its WELCOME (phase playing or resync).
 * - RESYNC_REQUEST: the client's state hash differed from the server's; the room logs it and sends
 *   that client the full state. DESYNC_REPORT: the first field that differed, for the log.
 */
import { ClientMessage, CloseReasons, decodeClientMessage, encodeChatBroadcast, encodePong, type InputLayout } from '@tickforge/shared';
import type { Clock } from '../clock';
import type { Departure, RoomClient } from './client';
import { queuedInput } from './input-queue';

const SEQ_MAX_JUMP = 1024;

/** What handling a message may do to the room. */
export interface MessageEffects {
  kick(client: RoomClient, code: number, reason: string): void;
  detach(client: RoomClient, how: Departure): void;
  desync(client: RoomClient, tick: number, field?: string): void;
}

export class ClientMessages {
  constructor(
    private readonly input: InputLayout<unknown>,
    private readonly clock: Clock,
    /** Every client of the room, for chat. */
    private readonly clients: ReadonlyMap<number, RoomClient>,
    private readonly room: MessageEffects,
  ) {}

  /** One binary message from `client`. */
  receive(client: RoomClient, bytes: Uint8Array): void {
    if (client.phase === 'gone') return;
    const msg = decodeClientMessage(bytes, this.input);
    if (msg.type === 'violation') return this.room.kick(client, msg.code, msg.reason);
    switch (msg.type) {
      case ClientMessage.INPUT: {
        if (msg.seq <= client.lastSeq) return this.room.kick(client, ...CloseReasons.inputSequenceBack(msg.seq, client.lastSeq));
        if (msg.seq - client.lastSeq > SEQ_MAX_JUMP) return this.room.kick(client, ...CloseReasons.inputSequenceJump(client.lastSeq, msg.seq));
        client.lastSeq = msg.seq;
        const verdict = client.inputLimiter.take(this.clock.now());
        if (verdict === 'close') return this.room.kick(client, ...CloseReasons.inputFlood);
        if (verdict === 'drop') return;
        client.inputs.push(queuedInput(client.player, msg.seq, msg.input, msg.view, this.clock.now()));
        return;
      }
      case ClientMessage.PING: {
        const verdict = client.pingLimiter.take(this.clock.now());
        if (verdict === 'close') return this.room.kick(client, ...CloseReasons.pingFlood);
        if (verdict === 'drop') return;
        client.sink.send(encodePong(msg.clientTime, this.clock.now()));
        return;
      }
      case ClientMessage.LEAVE:
        client.sink.close(...CloseReasons.left);
        this.room.detach(client, 'left');
        return;
      case ClientMessage.CHAT: {
        const verdict = client.chatLimiter.take(this.clock.now());
        if (verdict === 'close') return this.room.kick(client, ...CloseReasons.chatFlood);
        if (verdict === 'drop') return;
        const out = encodeChatBroadcast(client.player.id, client.player.name, msg.text);
        for (const c of this.clients.values()) if (c.phase === 'playing' || c.phase === 'resync') c.sink.send(out);
        return;
      }
      case ClientMessage.RESYNC_REQUEST:
      case ClientMessage.DESYNC_REPORT: {
        const verdict = client.resyncLimiter.take(this.clock.now());
        if (verdict === 'close') return this.room.kick(client, ...CloseReasons.resyncFlood);
        if (verdict === 'drop') return;
        this.room.desync(client, msg.tick, msg.type === ClientMessage.DESYNC_REPORT ? msg.field : undefined);
        return;
      }
    }
  }
}
