import { resolve } from "node:path";
import type { IssueCertificate } from "../../engine/apply/certificate.ts";
import { certificateIssuer, fillSecretData, generatedSecretObject } from "../../engine/apply/generated.ts";
import { sortForApply } from "../../engine/apply/order.ts";
import { bundleNamespaces } from "../../engine/namespaces.ts";
import { writeOutputDir } from "../../engine/output-dir.ts";
import { fileNameFor, toJsonList, toYaml } from "../../engine/serialize.ts";
import type { GeneratedSecret, KubeObject } from "../../core/types.ts";
import { openBundle } from "../app.ts";
import { bundleOptions, type Command } from "../command.ts";

/** A generated Secret with fresh values, as `apply` would create it (for --generate-secrets). */
function secretObject(spec: GeneratedSecret, issue: IssueCertificate | undefined): KubeObject {
  return generatedSecretObject(spec, fillSecretData(spec, {}, issue).data, {});
}

export const build: Command = {
  name: "build",
  summary: "Render the Kubernetes manifests of a bundle (no cluster needed)",
  usage: "chroma-mod build <bundle.config.ts> [-o yaml|json] [--output-dir DIR] [--instance NAME]... [--generate-secrets] [--set …]",
  description:
    "Resolves defaults and Chroma version gates and prints every object of every instance: multi-document YAML (default) or a JSON List, in a stable order with byte-stable output, ready for kubectl, Argo CD or Flux. Credentials are never invented: the auth Secret is created once by `chroma-mod apply`; `--generate-secrets` includes a freshly generated one (new values on every run) for pipelines that apply the output themselves.",
  options: {
    ...bundleOptions,
    output: { type: "string", short: "o" },
    "output-dir": { type: "string" },
    instance: { type: "string", multiple: true },
    "generate-secrets": { type: "boolean" },
  },
  optionHelp: { output: "yaml (default) or json" },
  examples: [
    "chroma-mod build bundles/prod.config.ts > manifests.yaml",
    "chroma-mod build bundles/prod.config.ts -o json | jq '.items[].kind'",
    "chroma-mod build bundles/prod.config.ts --output-dir out/",
  ],
  async run(args) {
    const { values, io } = args;
    const { format, instances } = await openBundle(build, args, ["yaml", "json"]);
    const objects: KubeObject[] = bundleNamespaces(instances); // each namespace the bundle creates, once
    const owners = new Map<KubeObject, string>(); // for --output-dir's manifest; the namespaces are the bundle's ("")
    const skipped: string[] = [];
    const issue = values["generate-secrets"] ? await certificateIssuer(instances.flatMap((i) => i.generatedSecrets)) : undefined;
    for (const instance of instances) {
      const own = [...instance.objects];
      for (const secret of instance.generatedSecrets) {
        if (values["generate-secrets"]) own.push(secretObject(secret, issue));
        else skipped.push(`${secret.metadata.namespace}/${secret.metadata.name}`);
      }
      for (const object of own) owners.set(object, instance.name);
      objects.push(...own);
    }
    const sorted = sortForApply(objects);
    if (skipped.length > 0) {
      io.stderr(
        `note: Secret ${skipped.join(", ")} is not in the output: \`chroma-mod apply\` creates it once with generated credentials. Use --generate-secrets to include new ones, or bring your own (chromadb.auth.existingSecret, tls.secretName).\n`,
      );
    } else if (values["generate-secrets"] && instances.some((i) => i.generatedSecrets.length > 0)) {
      io.stderr("warning: the output contains newly generated credentials; treat it as a secret.\n");
    }
    const outputDir = values["output-dir"] as string | undefined;
    if (outputDir) {
      const files = sorted.map((object) => {
        const name = fileNameFor(object);
        return {
          name: format === "json" ? name.replace(/\.yaml$/, ".json") : name,
          content: format === "json" ? `${JSON.stringify(object, null, 2)}\n` : toYaml([object]),
          secret: object.kind === "Secret",
          owner: owners.get(object) ?? "",
        };
      });
      const selected = values.instance as string[] | undefined;
      const { removed } = writeOutputDir(resolve(io.cwd, outputDir), outputDir, files, selected && new Set(selected));
      io.stderr(
        `wrote ${files.length} files to ${outputDir}${removed.length > 0 ? `; removed ${removed.length} it wrote before that the bundle no longer renders: ${removed.join(", ")}` : ""}\n`,
      );
      return 0;
    }
    io.stdout(format === "json" ? toJsonList(sorted) : toYaml(sorted));
    return 0;
  },
};
