package mcgw_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
	"github.com/mcgateway/mcgateway/clients/go/mcgw"
)

// Submit a query and follow it to the end, with the target, token and TLS settings of the
// environment (MCGW_TARGET, MCGW_TOKEN, MCGW_CA_CERT, MCGW_TLS).
func Example() {
	client, err := mcgw.Dial("")
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	inst, err := client.SubmitSQL(ctx, "", &mcgw.SQLJob{Query: "select * from pyodps_iris limit 3"})
	if err != nil {
		log.Fatal(err)
	}
	final, err := client.WatchUntilDone(ctx, "", inst.GetInstanceId(), func(ev *mcgw.Event) error {
		fmt.Println(ev.GetEventType(), ev.GetInstance().GetState())
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("successful:", final.GetSuccessful())
	text, err := client.GetTaskResult(ctx, "", inst.GetInstanceId(), "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(text)
}

// Page through every terminated instance of a project.
func ExampleClient_Instances() {
	// TLS (not loopback), trusting the system's roots unless MCGW_CA_CERT names a CA.
	client, err := mcgw.Dial("gateway.example.com:443", mcgw.WithToken("token"))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	req := &gatewayv1.ListInstancesRequest{Project: "demo", StateFilter: gatewayv1.Instance_TERMINATED}
	for inst, err := range client.Instances(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(inst.GetInstanceId(), inst.GetState())
	}
}

// Read the results of every task of an instance.
func ExampleClient_TaskResults() {
	client, err := mcgw.Dial("127.0.0.1:50051") // loopback: plaintext unless MCGW_TLS=on
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	for result, err := range client.TaskResults(context.Background(), "", "20160519101349613gzbzufck2") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s:\n%s", result.GetTaskName(), result.GetContent())
	}
}

// Tell a missing instance from other failures.
func ExampleErrorReason() {
	client, err := mcgw.Dial("")
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	_, err = client.GetInstance(context.Background(), "", "20160519101349613gzbzufck2")
	if status.Code(err) == codes.NotFound && mcgw.ErrorReason(err) == mcgw.ReasonInstanceNotFound {
		fmt.Println("no such instance; MaxCompute said", mcgw.MaxComputeCode(err), "in request", mcgw.RequestID(err))
	}
}

// Refuse a target with a scheme before dialling, with a message that says what to type.
func ExampleParseTarget() {
	_, err := mcgw.ParseTarget("http://gw.example.com:50051")
	fmt.Println(err)
	// Output: mcgw: invalid target "http://gw.example.com:50051": remove the scheme "http://" and give host:port, for example gw.example.com:50051 (TLS is chosen by MCGW_TLS, not by the scheme)
}

// Read a finished SELECT's rows, typed, resuming after UNAVAILABLE (no output is checked: it
// needs a gateway).
func ExampleClient_ReadInstanceResult() {
	client, err := mcgw.Dial("")
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rows, err := client.ReadInstanceResult(ctx, "", "20261203104456562gy04eep4l", mcgw.ReadOptions{Columns: []string{"id", "label"}, Limit: 100})
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	fmt.Println(rows.Count(), "of", rows.TotalCount(), "rows")
	for rows.Next() {
		row := rows.Row()
		fmt.Println(row.Int64("id"), row.String("label"))
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
}
