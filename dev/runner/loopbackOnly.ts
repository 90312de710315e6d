/**
 * Preload (`node --require …/loopbackOnly.js program.js`): every server the program starts without a host,
 * or on a wildcard address, listens on 127.0.0.1 instead of every interface.
 *
 * Why: the Agents Playground has no option for its interface and always listens on all of them. It has no
 * authentication and drives a bot that accepts anonymous requests, so in dev and in tests it must only be
 * reachable from this machine. Patching `net.Server.prototype.listen` covers http servers too.
 * Importing this module patches the current process: only load it as a preload.
 */
import net from 'node:net';
import { loopbackListenArgs } from './loopbackListenArgs';

type Listen = (this: net.Server, ...args: unknown[]) => net.Server;

// Read through the descriptor: the original is called with the right `this` below (unbound-method).
const original = Object.getOwnPropertyDescriptor(net.Server.prototype, 'listen')?.value as Listen;
const patched: Listen = function (this: net.Server, ...args: unknown[]) {
  return original.apply(this, loopbackListenArgs(args));
};
Object.defineProperty(net.Server.prototype, 'listen', { value: patched, writable: true, configurable: true });
