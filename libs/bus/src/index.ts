// NATS JetStream buckets, streams, codecs and consumer helpers
