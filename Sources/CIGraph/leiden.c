// The igraph calls behind CIGraph.h (leiden.c also holds the layout: one file includes igraph). Each call builds the graph, runs, and frees what it made,
// also on error: igraph's default error handler aborts the process, so the first call installs
// handlers that make every failing call return its code instead.
#include "CIGraph.h"

#include <igraph/igraph.h>

static int gi_handlers_installed = 0;

static void gi_install_handlers(void) {
    if (gi_handlers_installed) return;
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    gi_handlers_installed = 1;
}

/// Makes `graph` and `weight_vector` from the arrays; on failure nothing is left to free.
static igraph_error_t gi_make_graph(int64_t vertex_count, const int64_t *endpoints, int64_t edge_count, const double *weights,
                                    igraph_t *graph, igraph_vector_t *weight_vector) {
    igraph_vector_int_t edges;
    igraph_error_t code = igraph_vector_int_init_array(&edges, endpoints, 2 * edge_count);
    if (code != IGRAPH_SUCCESS) return code;
    code = igraph_create(graph, &edges, vertex_count, IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&edges);
    if (code != IGRAPH_SUCCESS) return code;
    code = igraph_vector_init_array(weight_vector, weights, edge_count);
    if (code != IGRAPH_SUCCESS) igraph_destroy(graph);
    return code;
}

int gi_igraph_leiden(int64_t vertex_count, const int64_t *endpoints, int64_t edge_count, const double *weights,
                     const double *node_weights, double resolution, double beta, int64_t iterations, uint64_t seed,
                     int64_t *membership) {
    gi_install_handlers();
    igraph_t graph;
    igraph_vector_t weight_vector, node_weight_vector;
    igraph_vector_int_t result;
    igraph_error_t code = gi_make_graph(vertex_count, endpoints, edge_count, weights, &graph, &weight_vector);
    if (code != IGRAPH_SUCCESS) return (int)code;
    code = igraph_vector_init_array(&node_weight_vector, node_weights, vertex_count);
    if (code == IGRAPH_SUCCESS) {
        code = igraph_vector_int_init(&result, vertex_count);
        if (code == IGRAPH_SUCCESS) {
            code = igraph_rng_seed(igraph_rng_default(), seed);
            igraph_integer_t clusters = 0;
            igraph_real_t quality = 0;
            if (code == IGRAPH_SUCCESS) {
                code = igraph_community_leiden(&graph, &weight_vector, &node_weight_vector, resolution, beta, 0, iterations,
                                               &result, &clusters, &quality);
            }
            if (code == IGRAPH_SUCCESS) igraph_vector_int_copy_to(&result, membership);
            igraph_vector_int_destroy(&result);
        }
        igraph_vector_destroy(&node_weight_vector);
    }
    igraph_vector_destroy(&weight_vector);
    igraph_destroy(&graph);
    return (int)code;
}

int gi_igraph_modularity(int64_t vertex_count, const int64_t *endpoints, int64_t edge_count, const double *weights,
                         const int64_t *membership, double resolution, double *value) {
    gi_install_handlers();
    igraph_t graph;
    igraph_vector_t weight_vector;
    igraph_vector_int_t groups;
    igraph_error_t code = gi_make_graph(vertex_count, endpoints, edge_count, weights, &graph, &weight_vector);
    if (code != IGRAPH_SUCCESS) return (int)code;
    code = igraph_vector_int_init_array(&groups, membership, vertex_count);
    if (code == IGRAPH_SUCCESS) {
        igraph_real_t modularity = 0;
        code = igraph_modularity(&graph, &groups, &weight_vector, resolution, IGRAPH_UNDIRECTED, &modularity);
        if (code == IGRAPH_SUCCESS) *value = modularity;
        igraph_vector_int_destroy(&groups);
    }
    igraph_vector_destroy(&weight_vector);
    igraph_destroy(&graph);
    return (int)code;
}

int gi_igraph_layout_kamada_kawai(int64_t vertex_count, const int64_t *endpoints, int64_t edge_count, const double *weights,
                                  int64_t iterations, double *positions) {
    gi_install_handlers();
    igraph_t graph;
    igraph_vector_t weight_vector;
    igraph_matrix_t result;
    igraph_error_t code = gi_make_graph(vertex_count, endpoints, edge_count, weights, &graph, &weight_vector);
    if (code != IGRAPH_SUCCESS) return (int)code;
    code = igraph_matrix_init(&result, vertex_count, 2);
    if (code == IGRAPH_SUCCESS) {
        // Edge lengths: a stronger pair is drawn shorter. Without a seed layout igraph starts from
        // a circle in vertex order and draws no random number, so the result depends on the input alone.
        for (int64_t edge = 0; edge < edge_count; edge++) VECTOR(weight_vector)[edge] = 1.0 / VECTOR(weight_vector)[edge];
        code = igraph_layout_kamada_kawai(&graph, &result, 0, iterations, 0.0, (double)vertex_count,
                                          edge_count > 0 ? &weight_vector : NULL, NULL, NULL, NULL, NULL);
        if (code == IGRAPH_SUCCESS) {
            for (int64_t vertex = 0; vertex < vertex_count; vertex++) {
                positions[2 * vertex] = MATRIX(result, vertex, 0);
                positions[2 * vertex + 1] = MATRIX(result, vertex, 1);
            }
        }
        igraph_matrix_destroy(&result);
    }
    igraph_vector_destroy(&weight_vector);
    igraph_destroy(&graph);
    return (int)code;
}

const char *gi_igraph_error_text(int code) { return igraph_strerror((igraph_error_t)code); }
