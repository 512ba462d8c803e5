/**
 * The browser client's entry: the lobby, joining a game, and what happens when a game ends
 * (back to the lobby, or an offer to rejoin when the connection dropped).
 */
import './style.css';
import { ErrorCode, MatchmakeError, reconnectUrl, socketUrl, type MatchmakeAnswer } from '@tickforge/shared';
import { Game, JoinFailed, type GameOptions } from './game';
import { Overlay } from './hud/overlay';
import { Lobby } from './lobby/lobby';
import { explainJoinError, requestSeat, ServerUnreachable, type JoinRequest } from './lobby/lobby-api';
import { describeClose } from './net/close-reasons';
import { describeProgress, reconnect, shouldReconnect, type StepResult } from './net/reconnect';
import { parseNetworkConditions } from './net/network-conditions';
import { hook } from './test-hook';

const root = document.querySelector<HTMLElement>('#app')!;
const params = new URLSearchParams(location.search);
const conditions = parseNetworkConditions(location.search);
const showNetHud = params.get('hud') === '1';
const rendererParam = params.get('renderer');
const renderer = rendererParam === 'canvas' || rendererParam === 'webgl' ? rendererParam : 'auto';
const overlay = new Overlay(document.body);
const lobby = new Lobby(root, join);
let game: Game | undefined;

function gameOptions(req: JoinRequest, roomId: string): GameOptions {
  return { conditions, renderer, genericRenderer: params.get('draw') === 'generic', showNetHud, onEnd: (end: Parameters<typeof ended>[2]) => ended(req, roomId, end) };
}

async function join(req: JoinRequest): Promise<void> {
  hook.phase = 'joining';
  let seat;
  try {
    seat = await requestSeat(req);
  } catch (err) {
    hook.phase = 'lobby';
    lobby.setMessage(explainJoinError(err, req));
    return;
  }
  await play(req, seat);
}

/** The game socket URL of the current seat: in a cluster the room's node, where a reconnection must go. */
let playedOn = location.href;

async function play(req: JoinRequest, seat: Awaited<ReturnType<typeof requestSeat>>, note?: string): Promise<void> {
  lobby.hide();
  overlay.hide();
  playedOn = socketUrl(location.href, seat);
  try {
    game = await Game.start(root, seat, gameOptions(req, seat.roomId));
    if (note) game.notice(note);
  } catch (err) {
    game = undefined;
    hook.phase = 'lobby';
    lobby.show(err instanceof JoinFailed ? `Could not enter the room: ${describeClose(err.code, err.reason)}` : `Could not start the game: ${(err as Error).message}`);
  }
}

function ended(req: JoinRequest, roomId: string, end: { code: number; reason: string; byPlayer: boolean }): void {
  if (end.byPlayer) {
    toLobby();
    return;
  }
  const token = game?.reconnectToken ?? '';
  if (shouldReconnect(end.code)) {
    void reconnectByItself(req, roomId, token, end);
    return;
  }
  connectionLost(req, roomId, token, describeClose(end.code, end.reason));
}

function connectionLost(req: JoinRequest, roomId: string, token: string, message: string): void {
  overlay.show('Connection lost', message, [
    { label: 'Rejoin', primary: true, run: () => void (token ? resume(req, roomId, token) : rejoin(req, roomId)) },
    { label: 'Back to lobby', run: toLobby },
  ]);
}

/** The socket died without a reason: reconnect with progress shown, then the manual choice. */
async function reconnectByItself(req: JoinRequest, roomId: string, token: string, end: { code: number; reason: string }): Promise<void> {
  let cancelled = false;
  let note: string | undefined;
  game?.destroy();
  game = undefined;
  hook.phase = 'reconnecting';
  hook.reconnect = [];
  overlay.show('Reconnecting…', describeClose(end.code, end.reason), [{ label: 'Back to lobby', run: () => ((cancelled = true), toLobby()) }], true);
  /** Into the game on `seat`; a game that starts after the player cancelled is closed again. */
  const enter = async (seat: MatchmakeAnswer, target: JoinRequest): Promise<StepResult> => {
    try {
      const g = await Game.start(root, seat, gameOptions(target, seat.roomId));
      if (cancelled) g.destroy();
      else game = g;
      return 'ok';
    } catch (err) {
      // Refused at the door (a seat or token no longer valid) or never got in (server down).
      return err instanceof JoinFailed && err.code !== 1006 && err.code !== 1005 ? 'refused' : 'unreachable';
    }
  };
  const result = await reconnect(
    {
      resume: () => {
        note = 'Reconnected: welcome back.';
        return enter({ roomId, mode: req.mode, token: '', expiresInMs: 0, url: reconnectUrl(playedOn, token) }, req);
      },
      rejoin: async () => {
        let seat: MatchmakeAnswer;
        note = 'Reconnected with a new seat.';
        try {
          seat = await requestSeat({ mode: req.mode, name: req.name, roomId });
        } catch (err) {
          if (err instanceof ServerUnreachable) return 'unreachable';
          if (!(err instanceof MatchmakeError && err.code === ErrorCode.TF_ERR_ROOM_NOT_FOUND)) return 'refused';
          try {
            seat = await requestSeat({ mode: req.mode, name: req.name });
            note = `Room ${roomId} had closed: you are in a new room.`;
          } catch (err2) {
            return err2 instanceof ServerUnreachable ? 'unreachable' : 'refused';
          }
        }
        return enter(seat, { mode: req.mode, name: req.name, roomId: seat.roomId });
      },
      progress: (p) => {
        const text = describeProgress(p);
        overlay.progressText(text);
        hook.reconnect.push(text);
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      cancelled: () => cancelled,
    },
    token !== '',
  );
  if (result === 'cancelled') return;
  if (result === 'ok') {
    overlay.hide();
    if (note) (game as Game | undefined)?.notice(note);
    return;
  }
  hook.phase = 'disconnected';
  connectionLost(req, roomId, '', `${describeClose(end.code, end.reason)} Reconnecting did not work.`);
}

function toLobby(message?: string): void {
  overlay.hide();
  game?.destroy();
  game = undefined;
  hook.phase = 'lobby';
  lobby.show(message);
}

/**
 * Back as the same player (same id, position and score) with the reconnect token of the last
 * welcome, while the server still holds the seat; when it no longer does, a new seat via rejoin.
 */
async function resume(req: JoinRequest, roomId: string, token: string): Promise<void> {
  const seat: MatchmakeAnswer = { roomId, mode: req.mode, token: '', expiresInMs: 0, url: reconnectUrl(playedOn, token) };
  overlay.hide();
  game?.destroy();
  game = undefined;
  try {
    game = await Game.start(root, seat, gameOptions(req, roomId));
    game.notice('Reconnected: welcome back.');
  } catch {
    game = undefined;
    await rejoin(req, roomId);
  }
}

/** Back into the same room; if it closed meanwhile, into another room of the same mode. */
async function rejoin(req: JoinRequest, roomId: string): Promise<void> {
  const again: JoinRequest = { mode: req.mode, name: req.name, roomId };
  let seat;
  let note: string | undefined;
  try {
    seat = await requestSeat(again);
  } catch (err) {
    if (err instanceof MatchmakeError && err.code === ErrorCode.TF_ERR_ROOM_NOT_FOUND) {
      try {
        seat = await requestSeat({ mode: req.mode, name: req.name });
        note = `Room ${roomId} had closed: you are in a new room.`;
      } catch (err2) {
        return rejoinFailed(again, err2);
      }
    } else {
      return rejoinFailed(again, err);
    }
  }
  game?.destroy();
  game = undefined;
  await play({ mode: req.mode, name: req.name, roomId: seat.roomId }, seat, note);
}

function rejoinFailed(req: JoinRequest, err: unknown): void {
  const message = err instanceof ServerUnreachable ? 'The server is still not reachable.' : explainJoinError(err, req);
  overlay.show('Could not rejoin', message, [
    { label: 'Try again', primary: true, run: () => void rejoin(req, req.roomId ?? '') },
    { label: 'Back to lobby', run: toLobby },
  ]);
}

lobby.show();
