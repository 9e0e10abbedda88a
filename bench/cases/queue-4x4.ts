import { queueCase } from "../lib/queues";

export default queueCase("Queue: 4 producers → 4 consumers, [\"abc\", i] tuples", 83, { producers: 4, n: 50_000, payload: "tuple" });
