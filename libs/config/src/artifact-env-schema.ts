import { z } from 'zod';

/** Where datasets and models are stored; read by every service that makes or loads them. */
export const artifactEnvSchema = z.object({
  /** `file:///abs/folder` or `s3://bucket/prefix`; unset: `.artifacts` at the checkout's root. */
  ARTIFACT_STORE_URL: z
    .string()
    .regex(/^(file:\/\/\/|s3:\/\/[a-z0-9][a-z0-9.-]{1,62})/, { error: 'file:///<absolute folder> or s3://<bucket>/<prefix>' })
    .optional(),
  /** An S3-compatible server (MinIO, R2...); unset with s3:// means AWS. */
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
});

export type ArtifactEnv = z.output<typeof artifactEnvSchema>;
