"""mcgateway: a gRPC gateway for MaxCompute job instances."""
