import { queueCase } from "../lib/queues";

export default queueCase("Queue: 1 producer → 1 consumer, small ints", 80, { producers: 1, n: 200_000, payload: "int" });
