// Command mcgw-go is an example client of the mcgateway InstanceService: it lists the newest
// instances of a project and, with -watch, follows one instance to the end, printing every event.
//
//	mcgw-go -target 127.0.0.1:50051 -insecure -project demo -limit 5
//	mcgw-go -target gw.example.com:443 -token "$MCGW_TOKEN" -watch 20160519101349613gzbzufck2
//	mcgw-go -target 10.0.0.5:50051 -ca ca.pem -token "$MCGW_TOKEN"
//	mcgw-go -target 127.0.0.1:50051 -insecure -sql 'select 1' -watch new
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"google.golang.org/grpc/status"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
	"github.com/mcgateway/mcgateway/clients/go/mcgw"
)

func main() {
	target := flag.String("target", envOr("MCGW_TARGET", "127.0.0.1:50051"), "gateway address (host:port)")
	token := flag.String("token", os.Getenv("MCGW_TOKEN"), "bearer token (default $MCGW_TOKEN)")
	plaintext := flag.Bool("insecure", false, "use plaintext instead of TLS (loopback gateways)")
	caFile := flag.String("ca", os.Getenv("MCGW_CA_FILE"), "PEM file of CAs to trust instead of the system's (default $MCGW_CA_FILE)")
	project := flag.String("project", "", "project (empty: the gateway's default)")
	limit := flag.Int("limit", 10, "list at most this many instances (0: none)")
	sql := flag.String("sql", "", "submit this SQL first; -watch new follows it")
	watch := flag.String("watch", "", "instance id to watch until it terminates ('new': the submitted one)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := []mcgw.Option{mcgw.WithToken(*token)}
	switch {
	case *plaintext:
		opts = append(opts, mcgw.WithInsecure())
	case *caFile != "":
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "mcgw-go: %s\n", err)
			os.Exit(2)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			fmt.Fprintf(os.Stderr, "mcgw-go: no certificates in %s\n", *caFile)
			os.Exit(2)
		}
		opts = append(opts, mcgw.WithTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}))
	}
	if err := run(ctx, *target, opts, *project, *limit, *sql, *watch); err != nil {
		fmt.Fprintf(os.Stderr, "mcgw-go: %s\n", describe(err))
		os.Exit(1)
	}
}

func run(ctx context.Context, target string, opts []mcgw.Option, project string, limit int, sql, watch string) error {
	client, err := mcgw.Dial(target, opts...)
	if err != nil {
		return err
	}
	defer client.Close()

	if limit > 0 {
		n := 0
		for inst, err := range client.Instances(ctx, &gatewayv1.ListInstancesRequest{Project: project, PageSize: int32(min(limit, 100))}) {
			if err != nil {
				return err
			}
			fmt.Printf("%s  %-10s  %s\n", inst.GetInstanceId(), inst.GetState(), inst.GetOwner())
			if n++; n >= limit {
				break
			}
		}
	}
	if sql != "" {
		inst, err := client.SubmitSQL(ctx, project, &mcgw.SQLJob{Query: sql})
		if err != nil {
			return err
		}
		fmt.Printf("submitted %s\n", inst.GetInstanceId())
		if watch == "new" {
			watch = inst.GetInstanceId()
		}
	}
	if watch == "" || watch == "new" {
		return nil
	}
	final, err := client.WatchUntilDone(ctx, project, watch, func(ev *mcgw.Event) error {
		fmt.Printf("#%d %s %s%s\n", ev.GetSequence(), ev.GetEventType(), ev.GetInstance().GetState(),
			progressSummary(ev))
		return nil
	})
	if err != nil {
		return err
	}
	outcome := "succeeded"
	if !final.GetSuccessful() {
		outcome = "failed: " + final.GetFailureMessage()
	}
	fmt.Printf("%s %s\n", final.GetInstanceId(), outcome)
	return nil
}

func progressSummary(ev *mcgw.Event) string {
	var parts []string
	for _, tp := range ev.GetProgress() {
		for _, st := range tp.GetStages() {
			parts = append(parts, fmt.Sprintf("%s %d%%", st.GetId(), st.GetFinishedPercentage()))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "  [" + strings.Join(parts, ", ") + "]"
}

// describe renders a gRPC error as "CODE (reason): message", with MaxCompute's own code when
// MaxCompute answered: "NOT_FOUND (INSTANCE_NOT_FOUND, MaxCompute NoSuchObject): ...".
func describe(err error) string {
	st, ok := status.FromError(err)
	if !ok {
		return err.Error()
	}
	reason := mcgw.ErrorReason(err)
	if code := mcgw.MaxComputeCode(err); code != "" {
		reason += ", MaxCompute " + code
	}
	if reason != "" {
		return fmt.Sprintf("%s (%s): %s", mcgw.CodeName(st.Code()), strings.TrimPrefix(reason, ", "), st.Message())
	}
	return fmt.Sprintf("%s: %s", mcgw.CodeName(st.Code()), st.Message())
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
