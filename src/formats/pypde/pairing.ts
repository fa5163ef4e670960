import type { PairingRule } from '../../io/group';

/** A py-pde movie's `<movie>.times` side-car goes with the movie. */
export const pypdePairing: PairingRule = (name) => (/\.times$/i.test(name) ? name.replace(/\.times$/i, '') : null);
