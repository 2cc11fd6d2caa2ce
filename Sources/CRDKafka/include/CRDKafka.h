// CRDKafka: the librdkafka calls the Kafka module needs, behind a header of plain C types.
// librdkafka's own header is included only by kafka.c, never by a module Swift imports: it
// brings <sys/socket.h> and <stdio.h>, which clashed with Foundation's Dispatch module over
// `fd_set` when igraph's headers were exported the same way (see CIGraph).
//
// A handle is used by one thread at a time (the Kafka module gives each its own thread or lock).
#ifndef GRAPHINGEST_CRDKAFKA_H
#define GRAPHINGEST_CRDKAFKA_H

#include <stddef.h>
#include <stdint.h>

/// A consumer or producer handle (librdkafka's `rd_kafka_t` and what the wrapper keeps with it).
typedef struct gi_kafka gi_kafka;

/// A message taken from a consumer. `key` and `value` point into librdkafka's message, valid
/// until `gi_kafka_message_free`.
typedef struct {
    int32_t partition;
    int64_t offset;
    /// Milliseconds since the epoch, or -1.
    int64_t timestamp;
    const uint8_t *key;
    size_t key_length;
    /// 0 when the message has no key (not the same as an empty key).
    int has_key;
    const uint8_t *value;
    size_t value_length;
    /// 0 for a tombstone (a null value).
    int has_value;
    void *handle;
} gi_kafka_message;

/// Makes a consumer (`is_consumer` 1) or producer with the given configuration properties.
/// A consumer gets a rebalance callback that assigns and unassigns (eager or cooperative,
/// whichever the group uses) and counts revocations. Returns NULL with `error` filled.
gi_kafka *gi_kafka_new(int is_consumer, const char *const *names, const char *const *values, size_t count,
                       char *error, size_t error_size);

/// Closes a consumer (commits nothing, leaves its group) and destroys the handle.
void gi_kafka_destroy(gi_kafka *kafka);

/// Subscribes a consumer to one topic. Returns 0 or librdkafka's error code.
int gi_kafka_subscribe(gi_kafka *kafka, const char *topic, char *error, size_t error_size);

/// Polls a consumer: 1 a message (in `message`), 0 nothing within `timeout_ms`, -1 an error
/// (`code` and `error` filled; `fatal` set when the consumer cannot go on).
int gi_kafka_poll(gi_kafka *kafka, int timeout_ms, gi_kafka_message *message, int *code, int *fatal,
                  char *error, size_t error_size);

/// Frees a polled message.
void gi_kafka_message_free(gi_kafka_message *message);

/// How many times partitions were revoked from this consumer (or lost) since it was made.
uint64_t gi_kafka_revocations(gi_kafka *kafka);

/// The partitions of `topic` assigned to this consumer now; returns how many (at most `capacity`
/// written), or -1 on error.
int gi_kafka_assignment(gi_kafka *kafka, const char *topic, int32_t *partitions, size_t capacity);

/// Commits `offsets` (the next offset to read) of `partitions` of `topic` for the group, and
/// waits up to `timeout_ms` for the answer. Returns 0 or librdkafka's error code (-185,
/// _TIMED_OUT, when no answer came in time).
int gi_kafka_commit(gi_kafka *kafka, const char *topic, const int32_t *partitions, const int64_t *offsets, size_t count,
                    int timeout_ms, char *error, size_t error_size);

/// The group's committed offsets of `partitions` of `topic` (-1001 where none). Returns 0 or an
/// error code.
int gi_kafka_committed(gi_kafka *kafka, const char *topic, const int32_t *partitions, int64_t *offsets, size_t count,
                       int timeout_ms, char *error, size_t error_size);

/// The earliest (`position` -2) or the latest (-1, the end) offset of each of `partitions` of
/// `topic`, into `offsets`, asked of their leaders within `timeout_ms`. Returns 0 or an error code.
int gi_kafka_list_offsets(gi_kafka *kafka, const char *topic, const int32_t *partitions, size_t count, int64_t position,
                          int64_t *offsets, int timeout_ms, char *error, size_t error_size);

/// The number of partitions of `topic` from the brokers' metadata: >= 0, or -1 with `code` and
/// `error` filled (an unknown topic is `code` 3, UNKNOWN_TOPIC_OR_PART).
int gi_kafka_partition_count(gi_kafka *kafka, const char *topic, int timeout_ms, int *code, char *error, size_t error_size);

/// Pauses (`pause` 1) or resumes fetching from `partitions` of `topic`. Returns 0 or an error code.
int gi_kafka_pause(gi_kafka *kafka, const char *topic, const int32_t *partitions, size_t count, int pause);

/// Produces one message (copied) through `rd_kafka_produceva`: `partition` -1 lets the
/// partitioner choose by key; a NULL `value` is a tombstone; `header_count` headers of
/// name/value strings. Returns 0 or an error code.
int gi_kafka_produce(gi_kafka *kafka, const char *topic, int32_t partition, const uint8_t *key, size_t key_length,
                     const uint8_t *value, size_t value_length, const char *const *header_names,
                     const char *const *header_values, size_t header_count, char *error, size_t error_size);

/// Waits until every produced message is delivered (or `timeout_ms`). Returns 0, or the error
/// of the first failed delivery, or a timeout.
int gi_kafka_flush(gi_kafka *kafka, int timeout_ms, char *error, size_t error_size);

/// Creates a topic with `partitions` partitions (replication 1) through the admin API. Returns
/// 0, or the error code (36, TOPIC_ALREADY_EXISTS, when it exists).
int gi_kafka_create_topic(gi_kafka *kafka, const char *topic, int partitions, int timeout_ms, char *error, size_t error_size);

/// librdkafka's version string.
const char *gi_kafka_version(void);

#endif
