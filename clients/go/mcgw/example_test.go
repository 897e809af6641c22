package mcgw_test

import (
	"context"
	"fmt"
	"log"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
	"github.com/mcgateway/mcgateway/clients/go/mcgw"
)

// Submit a query and follow it to the end.
func Example() {
	client, err := mcgw.Dial("127.0.0.1:50051", mcgw.WithInsecure())
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()
	inst, err := client.SubmitSQL(ctx, "", "select * from pyodps_iris limit 3", nil)
	if err != nil {
		log.Fatal(err)
	}
	final, err := client.WatchUntilDone(ctx, "", inst.GetId(), func(ev *mcgw.Event) error {
		fmt.Println(ev.GetEventType(), ev.GetInstance().GetStatus())
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(final.GetSuccessful())
}

// Page through every instance of a project.
func ExampleClient_Instances() {
	client, err := mcgw.Dial("gateway.example.com:443", mcgw.WithToken("token"))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	for inst, err := range client.Instances(context.Background(), &gatewayv1.ListInstancesRequest{Project: "demo"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(inst.GetId(), inst.GetStatus())
	}
}

// Tell a missing instance from other failures.
func ExampleErrorReason() {
	client, err := mcgw.Dial("127.0.0.1:50051", mcgw.WithInsecure())
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	_, err = client.GetInstance(context.Background(), "", "20160519101349613gzbzufck2")
	if status.Code(err) == codes.NotFound && mcgw.ErrorReason(err) == "NoSuchObject" {
		fmt.Println("no such instance")
	}
}
