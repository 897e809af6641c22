// Command mcgw-go is an example client of the mcgateway InstanceService: it lists the newest
// instances of a project (every page of those started in the last 24 hours, sorted by start
// time, newest first) and, with -watch, follows one instance to the end, printing every event.
//
// Its settings follow clients/README.md: a flag given wins, otherwise MCGW_TARGET (default
// 127.0.0.1:50051), MCGW_TOKEN, MCGW_CA_CERT, MCGW_TLS (auto: plaintext only on loopback),
// MCGW_PROJECT and MCGW_LIMIT (how many instances to list, default 10).
//
//	mcgw-go -limit 5
//	MCGW_TARGET=gw.example.com:443 MCGW_TOKEN=... mcgw-go -watch 20160519101349613gzbzufck2
//	mcgw-go -target 10.0.0.5:50051 -ca-cert ca.pem -token "$TOKEN"
//	mcgw-go -limit 0 -sql 'select 1' -watch new
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
	"github.com/mcgateway/mcgateway/clients/go/mcgw"
)

func main() {
	target := flag.String("target", "", "gateway host:port (default $MCGW_TARGET, else 127.0.0.1:50051)")
	token := flag.String("token", "", "bearer token (default $MCGW_TOKEN)")
	tlsMode := flag.String("tls", "", "auto, on or off (default $MCGW_TLS, else auto: plaintext only on loopback)")
	caCert := flag.String("ca-cert", "", "PEM file of the CA to trust; implies TLS (default $MCGW_CA_CERT)")
	project := flag.String("project", os.Getenv("MCGW_PROJECT"), "project (default $MCGW_PROJECT, else the gateway's)")
	defaultLimit := 10
	if v, err := strconv.Atoi(os.Getenv("MCGW_LIMIT")); err == nil {
		defaultLimit = v
	}
	limit := flag.Int("limit", defaultLimit, "list this many of the newest instances (0: none; default $MCGW_LIMIT, else 10)")
	sql := flag.String("sql", "", "submit this SQL first; -watch new follows it")
	watch := flag.String("watch", "", "instance id to watch until it terminates ('new': the submitted one)")
	flag.Parse()

	var opts []mcgw.Option
	flag.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "token":
			opts = append(opts, mcgw.WithToken(*token))
		case "ca-cert":
			opts = append(opts, mcgw.WithCACert(*caCert))
		}
	})
	if *tlsMode != "" {
		mode, err := mcgw.ParseTLSMode(*tlsMode)
		if err != nil {
			fmt.Fprintf(os.Stderr, "error: %s\n", strings.TrimPrefix(err.Error(), "mcgw: "))
			os.Exit(2)
		}
		opts = append(opts, mcgw.WithTLSMode(mode))
	}
	client, err := mcgw.Dial(*target, opts...)
	if err != nil {
		// The same line as the other languages' examples print (clients/README.md).
		fmt.Fprintf(os.Stderr, "error: %s\n", strings.TrimPrefix(err.Error(), "mcgw: "))
		os.Exit(2)
	}
	defer client.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, client, *project, *limit, *sql, *watch); err != nil {
		fmt.Fprintf(os.Stderr, "error: %s\n", describe(err))
		stop()
		client.Close()
		os.Exit(1)
	}
}

func run(ctx context.Context, client *mcgw.Client, project string, limit int, sql, watch string) error {
	if limit > 0 {
		if err := listNewest(ctx, client, project, limit); err != nil {
			return err
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
		fmt.Printf("#%d %s %s%s\n", ev.GetSequence(), ev.GetEventType(), ev.GetInstance().GetState(), progressSummary(ev))
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

// listNewest prints the limit newest instances started in the last 24 hours: it reads every
// page (the gateway lists oldest first), then sorts by start time, newest first.
func listNewest(ctx context.Context, client *mcgw.Client, project string, limit int) error {
	req := &gatewayv1.ListInstancesRequest{
		Project:      project,
		MinStartTime: timestamppb.New(time.Now().Add(-24 * time.Hour)),
		PageSize:     1000,
	}
	var all []*mcgw.Instance
	for inst, err := range client.Instances(ctx, req) {
		if err != nil {
			return err
		}
		all = append(all, inst)
	}
	slices.SortFunc(all, func(a, b *mcgw.Instance) int {
		if c := b.GetStartTime().AsTime().Compare(a.GetStartTime().AsTime()); c != 0 {
			return c
		}
		return cmp.Compare(b.GetInstanceId(), a.GetInstanceId())
	})
	for _, inst := range all[:min(limit, len(all))] {
		fmt.Printf("%s  %-10s  %s\n", inst.GetInstanceId(), inst.GetState(), inst.GetOwner())
	}
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
	labels := []string{}
	if reason := mcgw.ErrorReason(err); reason != "" {
		labels = append(labels, reason)
	}
	if code := mcgw.MaxComputeCode(err); code != "" {
		labels = append(labels, "MaxCompute "+code)
	}
	if len(labels) > 0 {
		return fmt.Sprintf("%s (%s): %s", mcgw.CodeName(st.Code()), strings.Join(labels, ", "), st.Message())
	}
	return fmt.Sprintf("%s: %s", mcgw.CodeName(st.Code()), st.Message())
}
