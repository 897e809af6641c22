package com.mcgateway.client.example;

import com.mcgateway.client.GatewayErrors;
import com.mcgateway.client.McGatewayClient;
import com.mcgateway.maxcompute.gateway.v1.Instance;
import com.mcgateway.maxcompute.gateway.v1.ListInstancesRequest;
import io.grpc.StatusRuntimeException;
import java.util.Map;

/**
 * Lists the newest instances of a project and, given an instance id (or {@code --sql QUERY}),
 * watches it until it terminates.
 *
 * <pre>
 * MCGW_TARGET=127.0.0.1:50051 MCGW_INSECURE=1 mvn -q exec:java -Dexec.args="--sql 'select 1'"
 * </pre>
 *
 * Environment: MCGW_TARGET (default 127.0.0.1:50051), MCGW_TOKEN, MCGW_INSECURE=1 for
 * plaintext, MCGW_CA_FILE (PEM of CAs to trust instead of the system's), MCGW_PROJECT (default:
 * the gateway's).
 */
public final class Example {
  private Example() {}

  /** Entry point: {@code [INSTANCE_ID | --sql QUERY]}. */
  public static void main(String[] args) {
    String target = System.getenv().getOrDefault("MCGW_TARGET", "127.0.0.1:50051");
    String project = System.getenv().getOrDefault("MCGW_PROJECT", "");
    McGatewayClient.Builder builder =
        McGatewayClient.builder(target).token(System.getenv("MCGW_TOKEN"));
    if ("1".equals(System.getenv("MCGW_INSECURE"))) {
      builder.plaintext();
    } else if (System.getenv("MCGW_CA_FILE") != null) {
      builder.trustCertificates(new java.io.File(System.getenv("MCGW_CA_FILE")));
    }
    try (McGatewayClient client = builder.build()) {
      int shown = 0;
      for (Instance inst :
          client.listInstances(
              ListInstancesRequest.newBuilder().setProject(project).setPageSize(10).build())) {
        System.out.printf("%s  %-10s  %s%n", inst.getInstanceId(), inst.getState(), inst.getOwner());
        if (++shown == 10) {
          break;
        }
      }
      String id = null;
      if (args.length == 2 && args[0].equals("--sql")) {
        id = client.submitSql(project, args[1], Map.of()).getInstanceId();
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
                        "#%d %s %s%n",
                        event.getSequence(), event.getEventType(), event.getInstance().getState()));
        // A terminated instance always has `successful` set; it is unset only while it runs.
        boolean succeeded = done.hasSuccessful() && done.getSuccessful();
        System.out.println(
            done.getInstanceId() + (succeeded ? " succeeded" : " failed: " + done.getFailureMessage()));
      }
    } catch (StatusRuntimeException e) {
      System.err.printf(
          "error: %s (%s): %s%n",
          e.getStatus().getCode(),
          GatewayErrors.reason(e).orElse("no reason")
              + GatewayErrors.maxComputeCode(e).map(c -> ", MaxCompute " + c).orElse(""),
          e.getStatus().getDescription());
      System.exit(1);
    }
  }
}
