// Command fanoutclient holds many WatchInstance streams for bench/watch_fanout.py.
//
// A Go client, so that the benchmark measures the server rather than a Python client
// competing with it for the same cores (see /work/shared/perf-notes.md). It opens one
// stream per instance id given on the command line (repeat an id for several streams),
// spread over -conns connections, prints "ready" once every stream got its first message
// (or failed), and when stdin reaches EOF cancels the streams and prints one JSON report:
// the same fields as the Python client of watch_fanout.py.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

type change struct {
	InstanceID string
	State      int32
	Received   float64
}

type report struct {
	Opened    int            `json:"opened"`
	Messages  int            `json:"messages"`
	Errors    map[string]int `json:"errors"`
	Changes   [][3]any       `json:"changes"`
	Delays    []float64      `json:"delays"`
	Terminals int            `json:"terminals"`
	CPU       float64        `json:"cpu"`
}

func main() {
	target := flag.String("target", "", "host:port of the server")
	conns := flag.Int("conns", 4, "connections the streams are spread over")
	omitProgress := flag.Bool("omit-progress", false, "ask for no progress messages")
	untilTerminal := flag.Bool("until-terminal", false, "wait for every stream to end instead of stdin EOF")
	flag.Parse()
	ids := flag.Args()

	clients := make([]gatewayv1.InstanceServiceClient, *conns)
	for i := range clients {
		// Each client is a connection of its own.
		cc, err := grpc.NewClient(*target, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		defer cc.Close()
		clients[i] = gatewayv1.NewInstanceServiceClient(cc)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	rep := report{Errors: map[string]int{}}
	var changes []change
	var settled sync.WaitGroup
	var done sync.WaitGroup
	settled.Add(len(ids))
	done.Add(len(ids))
	for i, id := range ids {
		go func(i int, id string) {
			defer done.Done()
			first := true
			defer func() {
				if first {
					settled.Done()
				}
			}()
			stream, err := clients[i%len(clients)].WatchInstance(ctx, &gatewayv1.WatchInstanceRequest{
				InstanceId: id, OmitProgress: *omitProgress,
			})
			if err == nil {
				for {
					msg, rerr := stream.Recv()
					if rerr != nil {
						err = rerr
						break
					}
					now := time.Now()
					mu.Lock()
					rep.Messages++
					if first {
						first = false
						rep.Opened++
						settled.Done()
					}
					kind := msg.GetEventType()
					if kind != gatewayv1.WatchInstanceResponse_SNAPSHOT && len(rep.Delays) < 2_000_000 {
						observed := msg.GetObserveTime().AsTime()
						rep.Delays = append(rep.Delays, now.Sub(observed).Seconds())
					}
					switch kind {
					case gatewayv1.WatchInstanceResponse_STATE_CHANGED:
						changes = append(changes, change{id, int32(msg.GetInstance().GetState()), float64(now.UnixNano()) / 1e9})
					case gatewayv1.WatchInstanceResponse_TERMINAL:
						rep.Terminals++
					}
					mu.Unlock()
				}
			}
			if err == io.EOF {
				return
			}
			code := status.Code(err)
			mu.Lock()
			if code != codes.Canceled || first {
				rep.Errors[code.String()]++
			}
			mu.Unlock()
		}(i, id)
	}
	settled.Wait()
	fmt.Println("ready")
	if *untilTerminal {
		done.Wait()
	} else {
		_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
		cancel()
		done.Wait()
	}
	cancel()
	var usage syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	rep.CPU = float64(usage.Utime.Nano()+usage.Stime.Nano()) / 1e9
	for _, c := range changes {
		rep.Changes = append(rep.Changes, [3]any{c.InstanceID, c.State, c.Received})
	}
	if rep.Delays == nil {
		rep.Delays = []float64{}
	}
	if rep.Changes == nil {
		rep.Changes = [][3]any{}
	}
	out, _ := json.Marshal(rep)
	fmt.Println(string(out))
}
