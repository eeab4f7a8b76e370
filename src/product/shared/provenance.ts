import type { IsoDate } from './dates.js';

// What every published run and dataset version records about where it came from (docs/behaviour.md §12).
// The keys are snake_case like the `dataset_version` key Tables runs already record (docs/behaviour.md §7).

/** What the composition root knows about the running product: its version, its config, its image. */
export type Provenance = {
  readonly productVersion: string;
  /** Lower-case hex SHA-256 of the config file's bytes. */
  readonly configSha256: string;
  /** The container image digest (`sha256:…`), when the task passes one. */
  readonly imageDigest?: string | undefined;
};

/** The product's part of the record: what a `HealthCheck_<T>` run holds. */
export type ProductFields = {
  readonly product_version: string;
  readonly config_sha256: string;
  /** Present only when an image digest was given. */
  readonly image_digest?: string;
};

/** The job's record: on the `Update_<T>` run, the dataset version it writes and every `Tables_<T>` run. */
export type ProvenanceFields = ProductFields & {
  readonly start_date: IsoDate;
  readonly end_date: IsoDate;
  /** The `latest` dataset version the job started from; null when there was none. */
  readonly dataset_version_read: number | null;
};

export function productFields(p: Provenance): ProductFields {
  return {
    product_version: p.productVersion,
    config_sha256: p.configSha256,
    ...(p.imageDigest === undefined ? {} : { image_digest: p.imageDigest }),
  };
}

export function provenanceFields(
  p: Provenance,
  range: { readonly start: IsoDate; readonly end: IsoDate },
  datasetVersionRead: number | null,
): ProvenanceFields {
  return {
    ...productFields(p),
    start_date: range.start,
    end_date: range.end,
    dataset_version_read: datasetVersionRead,
  };
}
