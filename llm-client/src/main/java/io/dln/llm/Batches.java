package io.dln.llm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** Splitting a batch into HTTP calls run in parallel, and putting the answers back in request order. */
final class Batches {

    private Batches() {
    }

    static List<List<Integer>> chunks(List<Integer> indices, int size) {
        List<List<Integer>> chunks = new ArrayList<>();
        for (int from = 0; from < indices.size(); from += size) {
            chunks.add(List.copyOf(indices.subList(from, Math.min(indices.size(), from + size))));
        }
        return chunks;
    }

    /**
     * Runs {@code work} on each chunk's requests, each chunk on its own thread, and places the i-th result of a
     * chunk at the chunk's i-th index. Fails with the first failure once every chunk has finished.
     */
    static <Q, R> CompletableFuture<List<R>> scatter(List<Q> requests, List<List<Integer>> chunks,
                                                     Function<List<Q>, List<R>> work, Executor executor) {
        Object[] results = new Object[requests.size()];
        List<CompletableFuture<Void>> calls = new ArrayList<>(chunks.size());
        for (List<Integer> chunk : chunks) {
            List<Q> chunkRequests = chunk.stream().map(requests::get).toList();
            calls.add(CompletableFuture.supplyAsync(() -> work.apply(chunkRequests), executor).thenAccept(answers -> {
                for (int i = 0; i < chunk.size(); i++) results[chunk.get(i)] = answers.get(i);
            }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(done -> {
            @SuppressWarnings("unchecked")
            List<R> ordered = (List<R>) Arrays.asList(results);
            return List.copyOf(ordered);
        });
    }

    static <T> CompletableFuture<List<T>> inOrder(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
    }

    /** A rough token count for rate limiting before the server has counted: about four characters a token. */
    static long estimateTokens(String text) {
        return text.length() / 4 + 1;
    }
}
