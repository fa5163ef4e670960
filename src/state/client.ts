import { DatasetClient } from '../workers/client';

let client: DatasetClient | null = null;
/** The one dataset worker of the page (created on first use). */
export function datasetClient(): DatasetClient {
  client ??= new DatasetClient();
  return client;
}
