package com.mcgateway.client.example;

import com.google.protobuf.Timestamp;
import com.mcgateway.client.GatewayErrors;
import com.mcgateway.client.McGatewayClient;
import com.mcgateway.maxcompute.gateway.v1.Instance;
import com.mcgateway.maxcompute.gateway.v1.ListInstancesRequest;
import com.mcgateway.maxcompute.gateway.v1.WatchInstanceResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Lists the newest instances of a project (every page of those started in the last 24 hours,
 * sorted by start time, newest first) and, given an instance id (or {@code --sql QUERY}),
 * watches it until it terminates. It prints what every client's example prints
 * (clients/README.md): {@code #SEQUENCE EVENT STATE [stages]} per event, {@code ID succeeded} or
 * {@code ID failed: MESSAGE} last, and errors as {@code error: CODE (REASON, MaxCompute CODE):
 * message} on stderr (exit status 1; 2 for a bad target or TLS setting).
 *
 * <pre>
 * mvn -q exec:java -Dexec.args="--sql 'select 1'"
 * </pre>
 *
 * Environment: MCGW_TARGET (default 127.0.0.1:50051), MCGW_TOKEN, MCGW_CA_CERT (PEM of the CA to
 * trust; implies TLS), MCGW_TLS (auto: plaintext only on loopback; on; off), MCGW_PROJECT
 * (default: the gateway's), MCGW_LIMIT (how many instances to list, default 10).
 */
public final class Example {
  private Example() {}

  /** Entry point: {@code [INSTANCE_ID | --sql QUERY]}. */
  public static void main(String[] args) {
    String project = System.getenv().getOrDefault("MCGW_PROJECT", "");
    int limit = Integer.parseInt(System.getenv().getOrDefault("MCGW_LIMIT", "10"));
    McGatewayClient client;
    try {
      client = McGatewayClient.builder().build();
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    try (client) {
      listNewest(client, project, limit);
      String id = null;
      if (args.length == 2 && args[0].equals("--sql")) {
        id = client.submitSql(project, args[1]).getInstanceId();
        System.out.println("submitted " + id);
      } else if (args.length == 1) {
        id = args[0];
      }
      if (id != null) {
        Instance done =
            client.watchUntilDone(
                project,
                id,
                event ->
                    System.out.printf(
                        "#%d %s %s%s%n",
                        event.getSequence(),
                        event.getEventType(),
                        event.getInstance().getState(),
                        progressSummary(event)));
        // A terminated instance always has `successful` set; it is unset only while it runs.
        boolean succeeded = done.hasSuccessful() && done.getSuccessful();
        System.out.println(
            done.getInstanceId() + (succeeded ? " succeeded" : " failed: " + done.getFailureMessage()));
      }
    } catch (StatusRuntimeException e) {
      List<String> labels = new ArrayList<>();
      GatewayErrors.reason(e).ifPresent(labels::add);
      GatewayErrors.maxComputeCode(e).ifPresent(c -> labels.add("MaxCompute " + c));
      String description = e.getStatus().getDescription();
      System.err.printf(
          "error: %s%s: %s%n",
          e.getStatus().getCode(),
          labels.isEmpty() ? "" : " (" + String.join(", ", labels) + ")",
          description == null ? "" : description);
      System.exit(1);
    }
  }

  /**
   * Prints the {@code limit} newest instances started in the last 24 hours: reads every page (the
   * gateway lists oldest first), then sorts by start time, newest first.
   */
  private static void listNewest(McGatewayClient client, String project, int limit) {
    if (limit <= 0) {
      return;
    }
    ListInstancesRequest request =
        ListInstancesRequest.newBuilder()
            .setProject(project)
            .setMinStartTime(
                Timestamp.newBuilder()
                    .setSeconds(Instant.now().minus(Duration.ofHours(24)).getEpochSecond()))
            .setPageSize(1000)
            .build();
    List<Instance> all = new ArrayList<>();
    client.listInstances(request).forEach(all::add);
    all.sort(
        Comparator.comparingLong((Instance i) -> i.getStartTime().getSeconds())
            .thenComparingInt(i -> i.getStartTime().getNanos())
            .thenComparing(Instance::getInstanceId)
            .reversed());
    for (Instance inst : all.subList(0, Math.min(limit, all.size()))) {
      System.out.printf("%s  %-10s  %s%n", inst.getInstanceId(), inst.getState(), inst.getOwner());
    }
  }

  private static String progressSummary(WatchInstanceResponse event) {
    String stages =
        event.getProgressList().stream()
            .flatMap(p -> p.getStagesList().stream())
            .map(s -> s.getId() + " " + s.getFinishedPercentage() + "%")
            .collect(Collectors.joining(", "));
    return stages.isEmpty() ? "" : "  [" + stages + "]";
  }
}
