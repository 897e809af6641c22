import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { GetInstanceRequest as _maxcompute_gateway_v1_GetInstanceRequest, GetInstanceRequest__Output as _maxcompute_gateway_v1_GetInstanceRequest__Output } from './maxcompute/gateway/v1/GetInstanceRequest.js';
import type { GetInstanceResponse as _maxcompute_gateway_v1_GetInstanceResponse, GetInstanceResponse__Output as _maxcompute_gateway_v1_GetInstanceResponse__Output } from './maxcompute/gateway/v1/GetInstanceResponse.js';
import type { GetLogviewAddressRequest as _maxcompute_gateway_v1_GetLogviewAddressRequest, GetLogviewAddressRequest__Output as _maxcompute_gateway_v1_GetLogviewAddressRequest__Output } from './maxcompute/gateway/v1/GetLogviewAddressRequest.js';
import type { GetLogviewAddressResponse as _maxcompute_gateway_v1_GetLogviewAddressResponse, GetLogviewAddressResponse__Output as _maxcompute_gateway_v1_GetLogviewAddressResponse__Output } from './maxcompute/gateway/v1/GetLogviewAddressResponse.js';
import type { GetTaskProgressRequest as _maxcompute_gateway_v1_GetTaskProgressRequest, GetTaskProgressRequest__Output as _maxcompute_gateway_v1_GetTaskProgressRequest__Output } from './maxcompute/gateway/v1/GetTaskProgressRequest.js';
import type { GetTaskProgressResponse as _maxcompute_gateway_v1_GetTaskProgressResponse, GetTaskProgressResponse__Output as _maxcompute_gateway_v1_GetTaskProgressResponse__Output } from './maxcompute/gateway/v1/GetTaskProgressResponse.js';
import type { GetTaskResultRequest as _maxcompute_gateway_v1_GetTaskResultRequest, GetTaskResultRequest__Output as _maxcompute_gateway_v1_GetTaskResultRequest__Output } from './maxcompute/gateway/v1/GetTaskResultRequest.js';
import type { GetTaskResultResponse as _maxcompute_gateway_v1_GetTaskResultResponse, GetTaskResultResponse__Output as _maxcompute_gateway_v1_GetTaskResultResponse__Output } from './maxcompute/gateway/v1/GetTaskResultResponse.js';
import type { GetTaskResultsRequest as _maxcompute_gateway_v1_GetTaskResultsRequest, GetTaskResultsRequest__Output as _maxcompute_gateway_v1_GetTaskResultsRequest__Output } from './maxcompute/gateway/v1/GetTaskResultsRequest.js';
import type { GetTaskResultsResponse as _maxcompute_gateway_v1_GetTaskResultsResponse, GetTaskResultsResponse__Output as _maxcompute_gateway_v1_GetTaskResultsResponse__Output } from './maxcompute/gateway/v1/GetTaskResultsResponse.js';
import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from './maxcompute/gateway/v1/Instance.js';
import type { InstanceExistsRequest as _maxcompute_gateway_v1_InstanceExistsRequest, InstanceExistsRequest__Output as _maxcompute_gateway_v1_InstanceExistsRequest__Output } from './maxcompute/gateway/v1/InstanceExistsRequest.js';
import type { InstanceExistsResponse as _maxcompute_gateway_v1_InstanceExistsResponse, InstanceExistsResponse__Output as _maxcompute_gateway_v1_InstanceExistsResponse__Output } from './maxcompute/gateway/v1/InstanceExistsResponse.js';
import type { InstanceServiceClient as _maxcompute_gateway_v1_InstanceServiceClient, InstanceServiceDefinition as _maxcompute_gateway_v1_InstanceServiceDefinition } from './maxcompute/gateway/v1/InstanceService.js';
import type { ListInstancesRequest as _maxcompute_gateway_v1_ListInstancesRequest, ListInstancesRequest__Output as _maxcompute_gateway_v1_ListInstancesRequest__Output } from './maxcompute/gateway/v1/ListInstancesRequest.js';
import type { ListInstancesResponse as _maxcompute_gateway_v1_ListInstancesResponse, ListInstancesResponse__Output as _maxcompute_gateway_v1_ListInstancesResponse__Output } from './maxcompute/gateway/v1/ListInstancesResponse.js';
import type { ListSubInstancesRequest as _maxcompute_gateway_v1_ListSubInstancesRequest, ListSubInstancesRequest__Output as _maxcompute_gateway_v1_ListSubInstancesRequest__Output } from './maxcompute/gateway/v1/ListSubInstancesRequest.js';
import type { ListSubInstancesResponse as _maxcompute_gateway_v1_ListSubInstancesResponse, ListSubInstancesResponse__Output as _maxcompute_gateway_v1_ListSubInstancesResponse__Output } from './maxcompute/gateway/v1/ListSubInstancesResponse.js';
import type { ListTasksRequest as _maxcompute_gateway_v1_ListTasksRequest, ListTasksRequest__Output as _maxcompute_gateway_v1_ListTasksRequest__Output } from './maxcompute/gateway/v1/ListTasksRequest.js';
import type { ListTasksResponse as _maxcompute_gateway_v1_ListTasksResponse, ListTasksResponse__Output as _maxcompute_gateway_v1_ListTasksResponse__Output } from './maxcompute/gateway/v1/ListTasksResponse.js';
import type { Stage as _maxcompute_gateway_v1_Stage, Stage__Output as _maxcompute_gateway_v1_Stage__Output } from './maxcompute/gateway/v1/Stage.js';
import type { StopInstanceRequest as _maxcompute_gateway_v1_StopInstanceRequest, StopInstanceRequest__Output as _maxcompute_gateway_v1_StopInstanceRequest__Output } from './maxcompute/gateway/v1/StopInstanceRequest.js';
import type { StopInstanceResponse as _maxcompute_gateway_v1_StopInstanceResponse, StopInstanceResponse__Output as _maxcompute_gateway_v1_StopInstanceResponse__Output } from './maxcompute/gateway/v1/StopInstanceResponse.js';
import type { SubInstance as _maxcompute_gateway_v1_SubInstance, SubInstance__Output as _maxcompute_gateway_v1_SubInstance__Output } from './maxcompute/gateway/v1/SubInstance.js';
import type { SubmitSqlRequest as _maxcompute_gateway_v1_SubmitSqlRequest, SubmitSqlRequest__Output as _maxcompute_gateway_v1_SubmitSqlRequest__Output } from './maxcompute/gateway/v1/SubmitSqlRequest.js';
import type { SubmitSqlResponse as _maxcompute_gateway_v1_SubmitSqlResponse, SubmitSqlResponse__Output as _maxcompute_gateway_v1_SubmitSqlResponse__Output } from './maxcompute/gateway/v1/SubmitSqlResponse.js';
import type { SubmitXflowRequest as _maxcompute_gateway_v1_SubmitXflowRequest, SubmitXflowRequest__Output as _maxcompute_gateway_v1_SubmitXflowRequest__Output } from './maxcompute/gateway/v1/SubmitXflowRequest.js';
import type { SubmitXflowResponse as _maxcompute_gateway_v1_SubmitXflowResponse, SubmitXflowResponse__Output as _maxcompute_gateway_v1_SubmitXflowResponse__Output } from './maxcompute/gateway/v1/SubmitXflowResponse.js';
import type { Task as _maxcompute_gateway_v1_Task, Task__Output as _maxcompute_gateway_v1_Task__Output } from './maxcompute/gateway/v1/Task.js';
import type { TaskProgress as _maxcompute_gateway_v1_TaskProgress, TaskProgress__Output as _maxcompute_gateway_v1_TaskProgress__Output } from './maxcompute/gateway/v1/TaskProgress.js';
import type { TaskResult as _maxcompute_gateway_v1_TaskResult, TaskResult__Output as _maxcompute_gateway_v1_TaskResult__Output } from './maxcompute/gateway/v1/TaskResult.js';
import type { WaitInstanceRequest as _maxcompute_gateway_v1_WaitInstanceRequest, WaitInstanceRequest__Output as _maxcompute_gateway_v1_WaitInstanceRequest__Output } from './maxcompute/gateway/v1/WaitInstanceRequest.js';
import type { WaitInstanceResponse as _maxcompute_gateway_v1_WaitInstanceResponse, WaitInstanceResponse__Output as _maxcompute_gateway_v1_WaitInstanceResponse__Output } from './maxcompute/gateway/v1/WaitInstanceResponse.js';
import type { WatchInstanceRequest as _maxcompute_gateway_v1_WatchInstanceRequest, WatchInstanceRequest__Output as _maxcompute_gateway_v1_WatchInstanceRequest__Output } from './maxcompute/gateway/v1/WatchInstanceRequest.js';
import type { WatchInstanceResponse as _maxcompute_gateway_v1_WatchInstanceResponse, WatchInstanceResponse__Output as _maxcompute_gateway_v1_WatchInstanceResponse__Output } from './maxcompute/gateway/v1/WatchInstanceResponse.js';
import type { WatchInstancesRequest as _maxcompute_gateway_v1_WatchInstancesRequest, WatchInstancesRequest__Output as _maxcompute_gateway_v1_WatchInstancesRequest__Output } from './maxcompute/gateway/v1/WatchInstancesRequest.js';
import type { WatchInstancesResponse as _maxcompute_gateway_v1_WatchInstancesResponse, WatchInstancesResponse__Output as _maxcompute_gateway_v1_WatchInstancesResponse__Output } from './maxcompute/gateway/v1/WatchInstancesResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  maxcompute: {
    gateway: {
      v1: {
        GetInstanceRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetInstanceRequest, _maxcompute_gateway_v1_GetInstanceRequest__Output>
        GetInstanceResponse: MessageTypeDefinition<_maxcompute_gateway_v1_GetInstanceResponse, _maxcompute_gateway_v1_GetInstanceResponse__Output>
        GetLogviewAddressRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetLogviewAddressRequest, _maxcompute_gateway_v1_GetLogviewAddressRequest__Output>
        GetLogviewAddressResponse: MessageTypeDefinition<_maxcompute_gateway_v1_GetLogviewAddressResponse, _maxcompute_gateway_v1_GetLogviewAddressResponse__Output>
        GetTaskProgressRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskProgressRequest, _maxcompute_gateway_v1_GetTaskProgressRequest__Output>
        GetTaskProgressResponse: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskProgressResponse, _maxcompute_gateway_v1_GetTaskProgressResponse__Output>
        GetTaskResultRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskResultRequest, _maxcompute_gateway_v1_GetTaskResultRequest__Output>
        GetTaskResultResponse: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskResultResponse, _maxcompute_gateway_v1_GetTaskResultResponse__Output>
        GetTaskResultsRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskResultsRequest, _maxcompute_gateway_v1_GetTaskResultsRequest__Output>
        GetTaskResultsResponse: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskResultsResponse, _maxcompute_gateway_v1_GetTaskResultsResponse__Output>
        Instance: MessageTypeDefinition<_maxcompute_gateway_v1_Instance, _maxcompute_gateway_v1_Instance__Output>
        InstanceExistsRequest: MessageTypeDefinition<_maxcompute_gateway_v1_InstanceExistsRequest, _maxcompute_gateway_v1_InstanceExistsRequest__Output>
        InstanceExistsResponse: MessageTypeDefinition<_maxcompute_gateway_v1_InstanceExistsResponse, _maxcompute_gateway_v1_InstanceExistsResponse__Output>
        /**
         * InstanceService fronts the MaxCompute REST API for job instances. Every RPC names a project; an
         * empty `project` means the gateway's configured default project.
         * 
         * Errors use the canonical gRPC codes with a `google.rpc.ErrorInfo` detail (domain `mcgateway`,
         * reason = the MaxCompute error code such as `NoSuchObject`, or a gateway reason such as
         * `INVALID_REQUEST`; metadata `project`, `instance_id` and `upstream_request_id` where known).
         * INVALID_ARGUMENT also carries `google.rpc.BadRequest` field violations, and UNAVAILABLE or
         * RESOURCE_EXHAUSTED carry `google.rpc.RetryInfo` when MaxCompute said when to retry. Every RPC can
         * return UNAUTHENTICATED (missing or unknown bearer token), PERMISSION_DENIED (the token may not
         * use the project; checked before existence), UNAVAILABLE (MaxCompute unreachable or failing;
         * safe to retry for reads), DEADLINE_EXCEEDED and INTERNAL (a gateway bug; the message carries
         * a request id that also appears in the gateway's logs).
         */
        InstanceService: SubtypeConstructor<typeof grpc.Client, _maxcompute_gateway_v1_InstanceServiceClient> & { service: _maxcompute_gateway_v1_InstanceServiceDefinition }
        ListInstancesRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ListInstancesRequest, _maxcompute_gateway_v1_ListInstancesRequest__Output>
        ListInstancesResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ListInstancesResponse, _maxcompute_gateway_v1_ListInstancesResponse__Output>
        ListSubInstancesRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ListSubInstancesRequest, _maxcompute_gateway_v1_ListSubInstancesRequest__Output>
        ListSubInstancesResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ListSubInstancesResponse, _maxcompute_gateway_v1_ListSubInstancesResponse__Output>
        ListTasksRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ListTasksRequest, _maxcompute_gateway_v1_ListTasksRequest__Output>
        ListTasksResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ListTasksResponse, _maxcompute_gateway_v1_ListTasksResponse__Output>
        Stage: MessageTypeDefinition<_maxcompute_gateway_v1_Stage, _maxcompute_gateway_v1_Stage__Output>
        Status: EnumTypeDefinition
        StopInstanceRequest: MessageTypeDefinition<_maxcompute_gateway_v1_StopInstanceRequest, _maxcompute_gateway_v1_StopInstanceRequest__Output>
        StopInstanceResponse: MessageTypeDefinition<_maxcompute_gateway_v1_StopInstanceResponse, _maxcompute_gateway_v1_StopInstanceResponse__Output>
        SubInstance: MessageTypeDefinition<_maxcompute_gateway_v1_SubInstance, _maxcompute_gateway_v1_SubInstance__Output>
        SubmitSqlRequest: MessageTypeDefinition<_maxcompute_gateway_v1_SubmitSqlRequest, _maxcompute_gateway_v1_SubmitSqlRequest__Output>
        SubmitSqlResponse: MessageTypeDefinition<_maxcompute_gateway_v1_SubmitSqlResponse, _maxcompute_gateway_v1_SubmitSqlResponse__Output>
        SubmitXflowRequest: MessageTypeDefinition<_maxcompute_gateway_v1_SubmitXflowRequest, _maxcompute_gateway_v1_SubmitXflowRequest__Output>
        SubmitXflowResponse: MessageTypeDefinition<_maxcompute_gateway_v1_SubmitXflowResponse, _maxcompute_gateway_v1_SubmitXflowResponse__Output>
        Task: MessageTypeDefinition<_maxcompute_gateway_v1_Task, _maxcompute_gateway_v1_Task__Output>
        TaskProgress: MessageTypeDefinition<_maxcompute_gateway_v1_TaskProgress, _maxcompute_gateway_v1_TaskProgress__Output>
        TaskResult: MessageTypeDefinition<_maxcompute_gateway_v1_TaskResult, _maxcompute_gateway_v1_TaskResult__Output>
        TaskStatus: EnumTypeDefinition
        WaitInstanceRequest: MessageTypeDefinition<_maxcompute_gateway_v1_WaitInstanceRequest, _maxcompute_gateway_v1_WaitInstanceRequest__Output>
        WaitInstanceResponse: MessageTypeDefinition<_maxcompute_gateway_v1_WaitInstanceResponse, _maxcompute_gateway_v1_WaitInstanceResponse__Output>
        WatchEventType: EnumTypeDefinition
        WatchInstanceRequest: MessageTypeDefinition<_maxcompute_gateway_v1_WatchInstanceRequest, _maxcompute_gateway_v1_WatchInstanceRequest__Output>
        WatchInstanceResponse: MessageTypeDefinition<_maxcompute_gateway_v1_WatchInstanceResponse, _maxcompute_gateway_v1_WatchInstanceResponse__Output>
        WatchInstancesEventType: EnumTypeDefinition
        WatchInstancesRequest: MessageTypeDefinition<_maxcompute_gateway_v1_WatchInstancesRequest, _maxcompute_gateway_v1_WatchInstancesRequest__Output>
        WatchInstancesResponse: MessageTypeDefinition<_maxcompute_gateway_v1_WatchInstancesResponse, _maxcompute_gateway_v1_WatchInstancesResponse__Output>
      }
    }
  }
}

