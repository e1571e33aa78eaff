import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { pinnedK8sVersion } from "../../localcluster/paths.ts";

t.test("the pinned Kubernetes version comes from the kube wrapper go.mod", async (t) => {
  t.match(pinnedK8sVersion(), /^v1\.\d+\.\d+$/);
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-gomod-"));
  writeFileSync(join(dir, "go.mod"), "module local/kbuild\n\ngo 1.26.0\n");
  t.throws(() => pinnedK8sVersion(join(dir, "go.mod")), {
    name: "UserError",
    message: /^Cannot read the Kubernetes version of the local control plane from .*go\.mod: no "k8s\.io\/kubernetes vX\.Y\.Z" requirement found\.$/,
    hint: /^Restore that file from git/,
  });
});
