/** The worker boundary uses core's one wire table and abort helper. */
export { abortError, isAbort } from '../core/abort';
export { fromWire, toWire } from '../core/errors';
