/**
 * Releases published as an image only (no chromadb wheel on PyPI, `imageOnlyReleases`): `vet` accepts them, and
 * the pod rendered for one runs on the real server of its PyPI stand-in (`pypiStandIn`, the local node's rule),
 * installed through the product's own installer on first use. Proven: the rendered 1.x pod (auth proxy, token)
 * serves the version's official Python client with the generated token, and refuses a request without it.
 */
import t from "tap";
import { ensureVenv, pypiStandIn } from "../../localcluster/node/venv.ts";
import { imageOnlyReleases } from "../../schemas/releases.ts";
import { http, loopbackPod, pythonClient } from "./harness.ts";

for (const version of imageOnlyReleases) {
  const wheel = pypiStandIn(version);
  t.test(`Chroma ${version} (image only): the rendered pod on chromadb ${wheel}`, async (t) => {
    await ensureVenv(wheel);
    const { runner, port } = await loopbackPod(version, { chromadb: { auth: { enabled: true, type: "token" } } }, wheel);
    t.equal(runner.podSpec().containers[0]!.image, `ghcr.io/chroma-core/chroma:${version}`, `the pod runs the official ${version} image`);
    const pod = await runner.start();
    try {
      const token = [...runner.secrets.values()][0]!.token!;
      // 1.x answers /api/v2/version with its API version (1.0.0), so the program that runs tells the release.
      t.match(pod.containers.get("chroma")!.argv.join(" "), `/venvs/${wheel}/bin/chroma run`, `the server is chromadb ${wheel}'s`);
      const refused = await http(port, "/api/v2/tenants/default_tenant/databases/default_database/collections");
      t.equal(refused.status, 401, "no token: refused by the rendered proxy");
      const r = (
        await pythonClient(wheel, port, [{ name: "crud", op: "crud", collection: "image_only", auth: { kind: "token", header: "Authorization", token } }])
      ).get("crud")!;
      t.same(r.result, { count: 3, nearest: ["a", "b"] }, "the generated token: create/add/query", { error: r.error, trace: r.trace });
    } finally {
      await pod.stop();
    }
  });
}
