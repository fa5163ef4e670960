/**
 * Which loose files belong together, by format: the rules the drop handler applies (data only; no
 * reader is imported).
 */
import type { PairingRule } from '../io/group';
import { davisPairing } from './davis/pairing';
import { pypdePairing } from './pypde/pairing';

export const PAIRING_RULES: readonly PairingRule[] = [davisPairing, pypdePairing];
