/**
 * Releases published as an image only (no chromadb wheel on PyPI, `imageOnlyReleases`): `vet` accepts them, and
 * the pod rendered for one runs on the real server of its PyPI stand-in (`pypiStandIn`, the local node's rule),
 * installed through the product's own installer on first use. Proven: the rendered 1.x pod (auth proxy, token)
 * serves the version's official Python client with the generated token, and refuses a request without it.
 */
import t from "tap";
import { ensureVenv, pypiStandIn } from "../../localcluster/node/venv.ts";
import { imageOnlyReleases } from "../../schemas/releases.ts";
import { http, imageProfiles, networkValues, pythonClient, render } from "./harness.ts";
import { PodRunner } from "./runner.ts";

for (const version of imageOnlyReleases) {
  const wheel = pypiStandIn(version);
  t.test(`Chroma ${version} (image only): the rendered pod on chromadb ${wheel}`, async (t) => {
    await ensureVenv(wheel);
    const net = await networkValues();
    const instance = render({
      chromadb: { apiVersion: version, serverHost: "127.0.0.1", serverHttpPort: net.serverHttpPort, auth: { enabled: true, type: "token" } },
      proxy: { upstreamPort: net.upstreamPort },
    });
    const sts = instance.objects.find((o) => o.kind === "StatefulSet") as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } };
    t.equal(sts.spec.template.spec.containers[0]!.image, `ghcr.io/chroma-core/chroma:${version}`, `the pod runs the official ${version} image`);
    const runner = new PodRunner(instance.objects, instance.generatedSecrets, { imageProfile: imageProfiles(wheel), readyTimeoutMs: 120_000 });
    t.teardown(() => runner.cleanup());
    const pod = await runner.start();
    try {
      const token = [...runner.secrets.values()][0]!.token!;
      // 1.x answers /api/v2/version with its API version (1.0.0), so the program that runs tells the release.
      t.match(pod.containers.get("chroma")!.argv.join(" "), `/venvs/${wheel}/bin/chroma run`, `the server is chromadb ${wheel}'s`);
      const refused = await http(net.serverHttpPort, "/api/v2/tenants/default_tenant/databases/default_database/collections");
      t.equal(refused.status, 401, "no token: refused by the rendered proxy");
      const r = (
        await pythonClient(wheel, net.serverHttpPort, [
          { name: "crud", op: "crud", collection: "image_only", auth: { kind: "token", header: "Authorization", token } },
        ])
      ).get("crud")!;
      t.same(r.result, { count: 3, nearest: ["a", "b"] }, "the generated token: create/add/query", { error: r.error, trace: r.trace });
    } finally {
      await pod.stop();
    }
  });
}
