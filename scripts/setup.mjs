// `npm run setup`: everything `npm start` and `npm test` prepare, without starting anything.
import { preflightOrExit } from "./lib/preflight.mjs";

preflightOrExit();
const { main, setup } = await import("./lib/setup.mjs");

await main(setup);
