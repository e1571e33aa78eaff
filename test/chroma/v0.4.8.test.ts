// Chroma 0.4.8 on a real server, from the rendered pod: every cell of its row in matrix.ts (see suite.ts).
import { versionSuite } from "./suite.ts";

await versionSuite("0.4.8");
