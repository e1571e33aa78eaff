// Chroma 0.4.24, the rendered pod as real containers (podman + runc): test/containers/suite.ts.
import { containerSuite } from "./suite.ts";

await containerSuite("0.4.24");
