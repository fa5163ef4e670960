import { ExportError } from '../core/errors';

/**
 * A request the analysis cannot do (unknown quantity, missing field, region outside the grid, …).
 * It is an ExportError with target 'analysis' (core's class for "bad request, not bad input data"),
 * so it crosses the worker boundary through the one wire table with its words intact.
 */
export function analysisError(message: string): ExportError {
  return new ExportError('analysis', message);
}
