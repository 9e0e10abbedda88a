// `npm run setup`: everything `npm start` and `npm test` prepare, without starting anything.
import { main, setup } from "./lib/setup.mjs";

await main(setup);
