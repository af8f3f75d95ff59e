package io.dln.llm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

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
     * chunk at the chunk's i-th index. Fails with the first failure once every chunk has finished. With
     * {@code lastOnCaller} the calling thread runs the last chunk itself before returning, and so takes part in the
     * work instead of waiting for it: for a caller that waits for the answer at once, a single chunk then costs no
     * thread hand-off.
     */
    static <Q, R> CompletableFuture<List<R>> scatter(List<Q> requests, List<List<Integer>> chunks,
                                                     Function<List<Q>, List<R>> work, Executor executor,
                                                     boolean lastOnCaller) {
        Object[] results = new Object[requests.size()];
        List<CompletableFuture<Void>> calls = new ArrayList<>(chunks.size());
        for (int c = 0; c < chunks.size(); c++) {
            List<Integer> chunk = chunks.get(c);
            List<Q> chunkRequests = chunk.stream().map(requests::get).toList();
            CompletableFuture<List<R>> answers = lastOnCaller && c == chunks.size() - 1
                    ? runHere(() -> work.apply(chunkRequests))
                    : CompletableFuture.supplyAsync(() -> work.apply(chunkRequests), executor);
            calls.add(answers.thenAccept(chunkAnswers -> {
                for (int i = 0; i < chunk.size(); i++) results[chunk.get(i)] = chunkAnswers.get(i);
            }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(done -> {
            @SuppressWarnings("unchecked")
            List<R> ordered = (List<R>) Arrays.asList(results);
            return List.copyOf(ordered);
        });
    }

    private static <T> CompletableFuture<T> runHere(Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
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
