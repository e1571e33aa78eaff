// Chroma 1.5.9, the rendered pod as real containers (podman + runc): test/containers/suite.ts.
import { containerSuite } from "./suite.ts";

await containerSuite("1.5.9");
