/** Value formats and helpers shared by the blocks of the values schema (schemas/values.ts). */
import * as v from "valibot";

export const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));
/** An image repository: `[registry[:port]/]path`, lowercase path components (no spaces, no tag). */
export const imageRepository = v.pipe(
  v.string(),
  v.regex(
    /^(?:[a-zA-Z0-9](?:[-a-zA-Z0-9.]*[a-zA-Z0-9])?(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/,
    "an image repository like ghcr.io/chroma-core/chroma (no tag, no spaces)",
  ),
  v.maxLength(255, "at most 255 characters"),
);
export const imageTag = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "an image tag (letters, digits, '_', '.', '-'; at most 128). A digest such as sha256:… goes in image.digest"),
);
export const doc = v.description;
/** An IPv4 or IPv6 address range in CIDR notation. */
export const cidr = v.pipe(
  v.string(),
  v.regex(
    /^(?:(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:3[0-2]|[12]?\d)|[0-9a-fA-F:]*:[0-9a-fA-F:]*\/(?:12[0-8]|1[01]\d|[1-9]?\d))$/,
    "a CIDR like 10.0.0.0/8",
  ),
);
