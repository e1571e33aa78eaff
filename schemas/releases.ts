/**
 * Every Chroma release the module supports, oldest first: the versions published as image tags
 * (ghcr.io/chroma-core/chroma:<version>), which are the versions published on PyPI (chromadb) plus
 * `imageOnlyReleases`. Versions that were never released (e.g. 1.0.1, 1.0.14) are absent on purpose: `vet`
 * refuses them.
 */
export const chromaReleases = [
  "0.4.3",
  "0.4.4",
  "0.4.5",
  "0.4.6",
  "0.4.7",
  "0.4.8",
  "0.4.9",
  "0.4.10",
  "0.4.11",
  "0.4.12",
  "0.4.13",
  "0.4.14",
  "0.4.15",
  "0.4.16",
  "0.4.17",
  "0.4.18",
  "0.4.19",
  "0.4.20",
  "0.4.21",
  "0.4.22",
  "0.4.23",
  "0.4.24",
  "0.5.0",
  "0.5.1",
  "0.5.2",
  "0.5.3",
  "0.5.4",
  "0.5.5",
  "0.5.7",
  "0.5.9",
  "0.5.10",
  "0.5.11",
  "0.5.12",
  "0.5.13",
  "0.5.15",
  "0.5.16",
  "0.5.17",
  "0.5.18",
  "0.5.20",
  "0.5.21",
  "0.5.23",
  "0.6.0",
  "0.6.1",
  "0.6.2",
  "0.6.3",
  "1.0.0",
  "1.0.2",
  "1.0.3",
  "1.0.4",
  "1.0.5",
  "1.0.6",
  "1.0.7",
  "1.0.8",
  "1.0.9",
  "1.0.10",
  "1.0.11",
  "1.0.12",
  "1.0.13",
  "1.0.15",
  "1.0.16",
  "1.0.17",
  "1.0.18",
  "1.0.19",
  "1.0.20",
  "1.0.21",
  "1.1.0",
  "1.1.1",
  "1.2.0",
  "1.2.1",
  "1.2.2",
  "1.3.0",
  "1.3.2",
  "1.3.3",
  "1.3.4",
  "1.3.5",
  "1.3.6",
  "1.3.7",
  "1.4.0",
  "1.4.1",
  "1.5.0",
  "1.5.1",
  "1.5.2",
  "1.5.3",
  "1.5.4",
  "1.5.5",
  "1.5.6",
  "1.5.7",
  "1.5.8",
  "1.5.9",
] as const;

export type ChromaRelease = (typeof chromaReleases)[number];

/**
 * Releases published as an image and a git tag but not on PyPI (no chromadb wheel): 1.5.3, the Helm chart 0.2.2's
 * default. Rendering needs only the version; what runs it without the image (the local node, the real-server
 * tests) uses the nearest PyPI release, `pypiStandIn` in localcluster/node/venv.ts.
 */
export const imageOnlyReleases: readonly ChromaRelease[] = ["1.5.3"];

/** The default `chromadb.apiVersion`: the newest release the module supports. */
export const defaultChromaVersion: ChromaRelease = "1.5.9";

const parsed = new Map<string, readonly [number, number, number]>();

/** Parses `x.y.z` into a comparable tuple (remembered: the version gates compare the same few versions many times). */
export function parseVersion(version: string): readonly [number, number, number] {
  let tuple = parsed.get(version);
  if (!tuple) {
    const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
    tuple = [major, minor, patch];
    parsed.set(version, tuple);
  }
  return tuple;
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

export function isSupportedRelease(version: string): version is ChromaRelease {
  return (chromaReleases as readonly string[]).includes(version);
}

const supportedRange = () => `supported: every release from ${chromaReleases[0]} to ${chromaReleases[chromaReleases.length - 1]}`;

/** Why `input` is not a `chromadb.apiVersion`, naming the nearest releases when it looks like a version. */
export function unknownReleaseMessage(input: unknown): string {
  if (typeof input === "number")
    return `expected a Chroma release as a string, like "${defaultChromaVersion}", got the number ${input}: quote it (${supportedRange()})`;
  const text = typeof input === "string" ? input : undefined;
  if (text === undefined || !/^\d{1,4}\.\d{1,4}\.\d{1,4}$/.test(text)) {
    return `expected a Chroma release like "${defaultChromaVersion}", got ${text === undefined ? typeof input : JSON.stringify(text.slice(0, 40))} (${supportedRange()})`;
  }
  const newer = chromaReleases.find((release) => compareVersions(release, text) > 0);
  const older = [...chromaReleases].reverse().find((release) => compareVersions(release, text) < 0);
  if (newer === undefined)
    return `Chroma ${text} is newer than the newest release this module knows (${older}): its settings are unverified. Use ${older}, or upgrade chroma-mod (${supportedRange()})`;
  if (older === undefined) return `Chroma ${text} is older than the oldest release this module supports (${newer}) (${supportedRange()})`;
  return `Chroma never published ${text} (PyPI and the image registry have no such release), so there is nothing to run. Nearest releases: ${older} and ${newer} (${supportedRange()})`;
}
