import { queueCase } from "../lib/queues";

export default queueCase("Queue: 1 producer → 1 consumer, small records { id, name, value, ok }", 82, { producers: 1, n: 200_000, payload: "record" });
