import S3rver from 's3rver';
import { tempDir } from './folders.js';

export interface S3Server {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  close(): Promise<void>;
}

/**
 * A real S3-compatible server on a free port of this machine, with one empty bucket: s3rver,
 * S3's REST API over a folder. It knows access key ids but does not check SigV4 signatures.
 */
export async function startS3Server(bucket = 'artifacts'): Promise<S3Server> {
  const dir = await tempDir();
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: dir.path,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    // s3rver's one account; an unknown access key id is refused.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    close: async () => {
      await server.close();
      await dir.remove();
    },
  };
}
