// The librdkafka calls behind CRDKafka.h. Only this file includes librdkafka's header.
#include "CRDKafka.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gi_kafka {
    rd_kafka_t *rk;
    int is_consumer;
    /// Counted by the rebalance callback, which runs inside poll on the polling thread.
    uint64_t revocations;
    /// The first failed delivery since the last flush (producer).
    rd_kafka_resp_err_t delivery_error;
    char delivery_text[256];
};

static void copy_error(char *error, size_t error_size, const char *text) {
    if (error && error_size > 0) snprintf(error, error_size, "%s", text ? text : "");
}

static void rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions, void *opaque) {
    gi_kafka *kafka = opaque;
    int cooperative = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        if (cooperative) {
            rd_kafka_error_t *failure = rd_kafka_incremental_assign(rk, partitions);
            if (failure) rd_kafka_error_destroy(failure);
        } else {
            rd_kafka_assign(rk, partitions);
        }
        return;
    }
    kafka->revocations += 1;
    if (cooperative) {
        rd_kafka_error_t *failure = rd_kafka_incremental_unassign(rk, partitions);
        if (failure) rd_kafka_error_destroy(failure);
    } else {
        rd_kafka_assign(rk, NULL);
    }
}

static void delivered(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    (void)rk;
    gi_kafka *kafka = opaque;
    if (message->err && !kafka->delivery_error) {
        kafka->delivery_error = message->err;
        copy_error(kafka->delivery_text, sizeof kafka->delivery_text, rd_kafka_err2str(message->err));
    }
}

gi_kafka *gi_kafka_new(int is_consumer, const char *const *names, const char *const *values, size_t count,
                       char *error, size_t error_size) {
    gi_kafka *kafka = calloc(1, sizeof *kafka);
    if (!kafka) {
        copy_error(error, error_size, "out of memory");
        return NULL;
    }
    kafka->is_consumer = is_consumer;
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (size_t i = 0; i < count; i++) {
        if (rd_kafka_conf_set(conf, names[i], values[i], error, error_size) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            free(kafka);
            return NULL;
        }
    }
    rd_kafka_conf_set_opaque(conf, kafka);
    if (is_consumer) {
        rd_kafka_conf_set_rebalance_cb(conf, rebalance);
    } else {
        rd_kafka_conf_set_dr_msg_cb(conf, delivered);
    }
    kafka->rk = rd_kafka_new(is_consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, conf, error, error_size);
    if (!kafka->rk) {
        rd_kafka_conf_destroy(conf);
        free(kafka);
        return NULL;
    }
    if (is_consumer) rd_kafka_poll_set_consumer(kafka->rk);
    return kafka;
}

void gi_kafka_destroy(gi_kafka *kafka) {
    if (!kafka) return;
    if (kafka->is_consumer) rd_kafka_consumer_close(kafka->rk);
    rd_kafka_destroy(kafka->rk);
    free(kafka);
}

int gi_kafka_subscribe(gi_kafka *kafka, const char *topic, char *error, size_t error_size) {
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t err = rd_kafka_subscribe(kafka->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (err) copy_error(error, error_size, rd_kafka_err2str(err));
    return err;
}

int gi_kafka_poll(gi_kafka *kafka, int timeout_ms, gi_kafka_message *message, int *code, int *fatal,
                  char *error, size_t error_size) {
    rd_kafka_message_t *polled = rd_kafka_consumer_poll(kafka->rk, timeout_ms);
    if (!polled) return 0;
    if (polled->err) {
        rd_kafka_resp_err_t err = polled->err;
        *code = err;
        *fatal = err == RD_KAFKA_RESP_ERR__FATAL;
        copy_error(error, error_size, rd_kafka_message_errstr(polled));
        rd_kafka_message_destroy(polled);
        return err == RD_KAFKA_RESP_ERR__PARTITION_EOF ? 0 : -1;
    }
    message->partition = polled->partition;
    message->offset = polled->offset;
    message->timestamp = rd_kafka_message_timestamp(polled, NULL);
    message->key = polled->key;
    message->key_length = polled->key_len;
    message->has_key = polled->key != NULL;
    message->value = polled->payload;
    message->value_length = polled->len;
    message->has_value = polled->payload != NULL;
    message->handle = polled;
    return 1;
}

void gi_kafka_message_free(gi_kafka_message *message) {
    if (message && message->handle) rd_kafka_message_destroy(message->handle);
    if (message) message->handle = NULL;
}

uint64_t gi_kafka_revocations(gi_kafka *kafka) { return kafka->revocations; }

int gi_kafka_assignment(gi_kafka *kafka, const char *topic, int32_t *partitions, size_t capacity) {
    rd_kafka_topic_partition_list_t *list = NULL;
    if (rd_kafka_assignment(kafka->rk, &list)) return -1;
    size_t found = 0;
    for (int i = 0; i < list->cnt; i++) {
        if (strcmp(list->elems[i].topic, topic) != 0) continue;
        if (found < capacity) partitions[found] = list->elems[i].partition;
        found++;
    }
    rd_kafka_topic_partition_list_destroy(list);
    return (int)found;
}

static rd_kafka_topic_partition_list_t *partition_list(const char *topic, const int32_t *partitions, const int64_t *offsets,
                                                       size_t count) {
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)count);
    for (size_t i = 0; i < count; i++) {
        rd_kafka_topic_partition_t *added = rd_kafka_topic_partition_list_add(list, topic, partitions[i]);
        if (offsets) added->offset = offsets[i];
    }
    return list;
}

int gi_kafka_commit(gi_kafka *kafka, const char *topic, const int32_t *partitions, const int64_t *offsets, size_t count,
                    int timeout_ms, char *error, size_t error_size) {
    // rd_kafka_commit() waits up to session.timeout.ms for a coordinator that is gone; through a
    // queue of our own the wait is ours to bound. A commit given up on here may still be sent
    // when the coordinator is back: it commits offsets of loaded messages, which is harmless.
    rd_kafka_topic_partition_list_t *list = partition_list(topic, partitions, offsets, count);
    rd_kafka_queue_t *queue = rd_kafka_queue_new(kafka->rk);
    rd_kafka_resp_err_t err = rd_kafka_commit_queue(kafka->rk, list, queue, NULL, NULL);
    rd_kafka_topic_partition_list_destroy(list);
    if (!err) {
        rd_kafka_event_t *event = rd_kafka_queue_poll(queue, timeout_ms);
        err = RD_KAFKA_RESP_ERR__TIMED_OUT;
        if (event) {
            err = rd_kafka_event_error(event);
            const rd_kafka_topic_partition_list_t *committed = rd_kafka_event_topic_partition_list(event);
            for (int i = 0; !err && committed && i < committed->cnt; i++) err = committed->elems[i].err;
            rd_kafka_event_destroy(event);
        }
    }
    rd_kafka_queue_destroy(queue);
    if (err) copy_error(error, error_size, rd_kafka_err2str(err));
    return err;
}

int gi_kafka_committed(gi_kafka *kafka, const char *topic, const int32_t *partitions, int64_t *offsets, size_t count,
                       int timeout_ms, char *error, size_t error_size) {
    rd_kafka_topic_partition_list_t *list = partition_list(topic, partitions, NULL, count);
    rd_kafka_resp_err_t err = rd_kafka_committed(kafka->rk, list, timeout_ms);
    for (int i = 0; !err && i < list->cnt && (size_t)i < count; i++) offsets[i] = list->elems[i].offset;
    rd_kafka_topic_partition_list_destroy(list);
    if (err) copy_error(error, error_size, rd_kafka_err2str(err));
    return err;
}

int gi_kafka_list_offsets(gi_kafka *kafka, const char *topic, const int32_t *partitions, size_t count, int64_t position,
                          int64_t *offsets, int timeout_ms, char *error, size_t error_size) {
    // Not rd_kafka_query_watermark_offsets(): before librdkafka 2.3.0 (Debian has 2.0) it ignores
    // its timeout and waits for a leader that is down until it is back (librdkafka #2588, fixed
    // by #4460). ListOffsets for the earliest (-2) or the latest (-1) offset is the same request,
    // sent once per leader for all the partitions, and rd_kafka_offsets_for_times() keeps to its
    // timeout.
    rd_kafka_topic_partition_list_t *list = partition_list(topic, partitions, NULL, count);
    for (int i = 0; i < list->cnt; i++) list->elems[i].offset = position;
    rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(kafka->rk, list, timeout_ms);
    for (size_t i = 0; !err && i < count; i++) {
        rd_kafka_topic_partition_t *found = rd_kafka_topic_partition_list_find(list, topic, partitions[i]);
        if (!found) err = RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION;
        else if (found->err) err = found->err;
        else offsets[i] = found->offset;
    }
    rd_kafka_topic_partition_list_destroy(list);
    if (err) copy_error(error, error_size, rd_kafka_err2str(err));
    return err;
}

int gi_kafka_partition_count(gi_kafka *kafka, const char *topic, int timeout_ms, int *code, char *error, size_t error_size) {
    rd_kafka_topic_t *handle = rd_kafka_topic_new(kafka->rk, topic, NULL);
    const struct rd_kafka_metadata *metadata = NULL;
    rd_kafka_resp_err_t err = rd_kafka_metadata(kafka->rk, 0, handle, &metadata, timeout_ms);
    rd_kafka_topic_destroy(handle);
    if (err) {
        *code = err;
        copy_error(error, error_size, rd_kafka_err2str(err));
        return -1;
    }
    int result = -1;
    *code = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
    copy_error(error, error_size, rd_kafka_err2str(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART));
    for (int i = 0; i < metadata->topic_cnt; i++) {
        const rd_kafka_metadata_topic_t *found = &metadata->topics[i];
        if (strcmp(found->topic, topic) != 0) continue;
        if (found->err) {
            *code = found->err;
            copy_error(error, error_size, rd_kafka_err2str(found->err));
        } else if (found->partition_cnt > 0) {
            result = found->partition_cnt;
        }
    }
    rd_kafka_metadata_destroy(metadata);
    return result;
}

int gi_kafka_pause(gi_kafka *kafka, const char *topic, const int32_t *partitions, size_t count, int pause) {
    rd_kafka_topic_partition_list_t *list = partition_list(topic, partitions, NULL, count);
    rd_kafka_resp_err_t err = pause ? rd_kafka_pause_partitions(kafka->rk, list) : rd_kafka_resume_partitions(kafka->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    return err;
}

int gi_kafka_produce(gi_kafka *kafka, const char *topic, int32_t partition, const uint8_t *key, size_t key_length,
                     const uint8_t *value, size_t value_length, const char *const *header_names,
                     const char *const *header_values, size_t header_count, char *error, size_t error_size) {
    size_t count = 0;
    rd_kafka_vu_t *vus = calloc(6 + header_count, sizeof *vus);
    if (!vus) {
        copy_error(error, error_size, "out of memory");
        return RD_KAFKA_RESP_ERR__FAIL;
    }
    vus[count].vtype = RD_KAFKA_VTYPE_TOPIC;
    vus[count++].u.cstr = topic;
    vus[count].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vus[count++].u.i = RD_KAFKA_MSG_F_COPY;
    if (partition >= 0) {
        vus[count].vtype = RD_KAFKA_VTYPE_PARTITION;
        vus[count++].u.i32 = partition;
    }
    if (key) {
        vus[count].vtype = RD_KAFKA_VTYPE_KEY;
        vus[count].u.mem.ptr = (void *)key;
        vus[count++].u.mem.size = key_length;
    }
    vus[count].vtype = RD_KAFKA_VTYPE_VALUE;
    vus[count].u.mem.ptr = (void *)value;
    vus[count++].u.mem.size = value ? value_length : 0;
    for (size_t i = 0; i < header_count; i++) {
        vus[count].vtype = RD_KAFKA_VTYPE_HEADER;
        vus[count].u.header.name = header_names[i];
        vus[count].u.header.val = header_values[i];
        vus[count++].u.header.size = (ssize_t)strlen(header_values[i]);
    }
    rd_kafka_error_t *failure = NULL;
    for (int attempt = 0; attempt < 100; attempt++) {
        failure = rd_kafka_produceva(kafka->rk, vus, count);
        if (!failure || rd_kafka_error_code(failure) != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
        rd_kafka_error_destroy(failure);
        failure = NULL;
        rd_kafka_poll(kafka->rk, 100);
    }
    free(vus);
    rd_kafka_poll(kafka->rk, 0);
    if (!failure) return 0;
    int code = rd_kafka_error_code(failure);
    copy_error(error, error_size, rd_kafka_error_string(failure));
    rd_kafka_error_destroy(failure);
    return code;
}

int gi_kafka_flush(gi_kafka *kafka, int timeout_ms, char *error, size_t error_size) {
    rd_kafka_resp_err_t err = rd_kafka_flush(kafka->rk, timeout_ms);
    if (err) {
        copy_error(error, error_size, rd_kafka_err2str(err));
        return err;
    }
    if (kafka->delivery_error) {
        err = kafka->delivery_error;
        copy_error(error, error_size, kafka->delivery_text);
        kafka->delivery_error = 0;
        return err;
    }
    return 0;
}

int gi_kafka_create_topic(gi_kafka *kafka, const char *topic, int partitions, int timeout_ms, char *error, size_t error_size) {
    char text[512];
    rd_kafka_NewTopic_t *request = rd_kafka_NewTopic_new(topic, partitions, 1, text, sizeof text);
    if (!request) {
        copy_error(error, error_size, text);
        return RD_KAFKA_RESP_ERR__INVALID_ARG;
    }
    rd_kafka_queue_t *queue = rd_kafka_queue_new(kafka->rk);
    rd_kafka_AdminOptions_t *options = rd_kafka_AdminOptions_new(kafka->rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, text, sizeof text);
    rd_kafka_CreateTopics(kafka->rk, &request, 1, options, queue);
    rd_kafka_event_t *event = rd_kafka_queue_poll(queue, timeout_ms + 1000);
    int code = RD_KAFKA_RESP_ERR__TIMED_OUT;
    copy_error(error, error_size, "timed out creating the topic");
    if (event) {
        code = rd_kafka_event_error(event);
        copy_error(error, error_size, rd_kafka_event_error_string(event));
        const rd_kafka_CreateTopics_result_t *result = rd_kafka_event_CreateTopics_result(event);
        size_t count = 0;
        const rd_kafka_topic_result_t **topics = result ? rd_kafka_CreateTopics_result_topics(result, &count) : NULL;
        if (!code && count > 0) {
            code = rd_kafka_topic_result_error(topics[0]);
            copy_error(error, error_size, rd_kafka_topic_result_error_string(topics[0]) ? rd_kafka_topic_result_error_string(topics[0])
                                                                                         : rd_kafka_err2str(code));
        }
        rd_kafka_event_destroy(event);
    }
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_NewTopic_destroy(request);
    rd_kafka_queue_destroy(queue);
    return code;
}

const char *gi_kafka_version(void) { return rd_kafka_version_str(); }
