/** fflate's unzip for browser tests: page.evaluate cannot import bare specifiers, Vite-served modules can. */
export { unzipSync } from 'fflate';
