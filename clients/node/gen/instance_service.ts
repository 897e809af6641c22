import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CustomHttpPattern as _google_api_CustomHttpPattern, CustomHttpPattern__Output as _google_api_CustomHttpPattern__Output } from './google/api/CustomHttpPattern.js';
import type { FieldInfo as _google_api_FieldInfo, FieldInfo__Output as _google_api_FieldInfo__Output } from './google/api/FieldInfo.js';
import type { Http as _google_api_Http, Http__Output as _google_api_Http__Output } from './google/api/Http.js';
import type { HttpRule as _google_api_HttpRule, HttpRule__Output as _google_api_HttpRule__Output } from './google/api/HttpRule.js';
import type { TypeReference as _google_api_TypeReference, TypeReference__Output as _google_api_TypeReference__Output } from './google/api/TypeReference.js';
import type { DescriptorProto as _google_protobuf_DescriptorProto, DescriptorProto__Output as _google_protobuf_DescriptorProto__Output } from './google/protobuf/DescriptorProto.js';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration.js';
import type { EnumDescriptorProto as _google_protobuf_EnumDescriptorProto, EnumDescriptorProto__Output as _google_protobuf_EnumDescriptorProto__Output } from './google/protobuf/EnumDescriptorProto.js';
import type { EnumOptions as _google_protobuf_EnumOptions, EnumOptions__Output as _google_protobuf_EnumOptions__Output } from './google/protobuf/EnumOptions.js';
import type { EnumValueDescriptorProto as _google_protobuf_EnumValueDescriptorProto, EnumValueDescriptorProto__Output as _google_protobuf_EnumValueDescriptorProto__Output } from './google/protobuf/EnumValueDescriptorProto.js';
import type { EnumValueOptions as _google_protobuf_EnumValueOptions, EnumValueOptions__Output as _google_protobuf_EnumValueOptions__Output } from './google/protobuf/EnumValueOptions.js';
import type { ExtensionRangeOptions as _google_protobuf_ExtensionRangeOptions, ExtensionRangeOptions__Output as _google_protobuf_ExtensionRangeOptions__Output } from './google/protobuf/ExtensionRangeOptions.js';
import type { FeatureSet as _google_protobuf_FeatureSet, FeatureSet__Output as _google_protobuf_FeatureSet__Output } from './google/protobuf/FeatureSet.js';
import type { FeatureSetDefaults as _google_protobuf_FeatureSetDefaults, FeatureSetDefaults__Output as _google_protobuf_FeatureSetDefaults__Output } from './google/protobuf/FeatureSetDefaults.js';
import type { FieldDescriptorProto as _google_protobuf_FieldDescriptorProto, FieldDescriptorProto__Output as _google_protobuf_FieldDescriptorProto__Output } from './google/protobuf/FieldDescriptorProto.js';
import type { FieldOptions as _google_protobuf_FieldOptions, FieldOptions__Output as _google_protobuf_FieldOptions__Output } from './google/protobuf/FieldOptions.js';
import type { FileDescriptorProto as _google_protobuf_FileDescriptorProto, FileDescriptorProto__Output as _google_protobuf_FileDescriptorProto__Output } from './google/protobuf/FileDescriptorProto.js';
import type { FileDescriptorSet as _google_protobuf_FileDescriptorSet, FileDescriptorSet__Output as _google_protobuf_FileDescriptorSet__Output } from './google/protobuf/FileDescriptorSet.js';
import type { FileOptions as _google_protobuf_FileOptions, FileOptions__Output as _google_protobuf_FileOptions__Output } from './google/protobuf/FileOptions.js';
import type { GeneratedCodeInfo as _google_protobuf_GeneratedCodeInfo, GeneratedCodeInfo__Output as _google_protobuf_GeneratedCodeInfo__Output } from './google/protobuf/GeneratedCodeInfo.js';
import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue.js';
import type { MessageOptions as _google_protobuf_MessageOptions, MessageOptions__Output as _google_protobuf_MessageOptions__Output } from './google/protobuf/MessageOptions.js';
import type { MethodDescriptorProto as _google_protobuf_MethodDescriptorProto, MethodDescriptorProto__Output as _google_protobuf_MethodDescriptorProto__Output } from './google/protobuf/MethodDescriptorProto.js';
import type { MethodOptions as _google_protobuf_MethodOptions, MethodOptions__Output as _google_protobuf_MethodOptions__Output } from './google/protobuf/MethodOptions.js';
import type { OneofDescriptorProto as _google_protobuf_OneofDescriptorProto, OneofDescriptorProto__Output as _google_protobuf_OneofDescriptorProto__Output } from './google/protobuf/OneofDescriptorProto.js';
import type { OneofOptions as _google_protobuf_OneofOptions, OneofOptions__Output as _google_protobuf_OneofOptions__Output } from './google/protobuf/OneofOptions.js';
import type { ServiceDescriptorProto as _google_protobuf_ServiceDescriptorProto, ServiceDescriptorProto__Output as _google_protobuf_ServiceDescriptorProto__Output } from './google/protobuf/ServiceDescriptorProto.js';
import type { ServiceOptions as _google_protobuf_ServiceOptions, ServiceOptions__Output as _google_protobuf_ServiceOptions__Output } from './google/protobuf/ServiceOptions.js';
import type { SourceCodeInfo as _google_protobuf_SourceCodeInfo, SourceCodeInfo__Output as _google_protobuf_SourceCodeInfo__Output } from './google/protobuf/SourceCodeInfo.js';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { UninterpretedOption as _google_protobuf_UninterpretedOption, UninterpretedOption__Output as _google_protobuf_UninterpretedOption__Output } from './google/protobuf/UninterpretedOption.js';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value.js';
import type { ArrowRecordBatch as _maxcompute_gateway_v1_ArrowRecordBatch, ArrowRecordBatch__Output as _maxcompute_gateway_v1_ArrowRecordBatch__Output } from './maxcompute/gateway/v1/ArrowRecordBatch.js';
import type { EstimateSqlCostRequest as _maxcompute_gateway_v1_EstimateSqlCostRequest, EstimateSqlCostRequest__Output as _maxcompute_gateway_v1_EstimateSqlCostRequest__Output } from './maxcompute/gateway/v1/EstimateSqlCostRequest.js';
import type { EstimateSqlCostResponse as _maxcompute_gateway_v1_EstimateSqlCostResponse, EstimateSqlCostResponse__Output as _maxcompute_gateway_v1_EstimateSqlCostResponse__Output } from './maxcompute/gateway/v1/EstimateSqlCostResponse.js';
import type { ExecuteSqlRequest as _maxcompute_gateway_v1_ExecuteSqlRequest, ExecuteSqlRequest__Output as _maxcompute_gateway_v1_ExecuteSqlRequest__Output } from './maxcompute/gateway/v1/ExecuteSqlRequest.js';
import type { ExecuteSqlResponse as _maxcompute_gateway_v1_ExecuteSqlResponse, ExecuteSqlResponse__Output as _maxcompute_gateway_v1_ExecuteSqlResponse__Output } from './maxcompute/gateway/v1/ExecuteSqlResponse.js';
import type { GenerateLogviewAddressRequest as _maxcompute_gateway_v1_GenerateLogviewAddressRequest, GenerateLogviewAddressRequest__Output as _maxcompute_gateway_v1_GenerateLogviewAddressRequest__Output } from './maxcompute/gateway/v1/GenerateLogviewAddressRequest.js';
import type { GenerateLogviewAddressResponse as _maxcompute_gateway_v1_GenerateLogviewAddressResponse, GenerateLogviewAddressResponse__Output as _maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output } from './maxcompute/gateway/v1/GenerateLogviewAddressResponse.js';
import type { GetInstanceRequest as _maxcompute_gateway_v1_GetInstanceRequest, GetInstanceRequest__Output as _maxcompute_gateway_v1_GetInstanceRequest__Output } from './maxcompute/gateway/v1/GetInstanceRequest.js';
import type { GetQueueingInfoRequest as _maxcompute_gateway_v1_GetQueueingInfoRequest, GetQueueingInfoRequest__Output as _maxcompute_gateway_v1_GetQueueingInfoRequest__Output } from './maxcompute/gateway/v1/GetQueueingInfoRequest.js';
import type { GetTaskDetailRequest as _maxcompute_gateway_v1_GetTaskDetailRequest, GetTaskDetailRequest__Output as _maxcompute_gateway_v1_GetTaskDetailRequest__Output } from './maxcompute/gateway/v1/GetTaskDetailRequest.js';
import type { GetTaskProgressRequest as _maxcompute_gateway_v1_GetTaskProgressRequest, GetTaskProgressRequest__Output as _maxcompute_gateway_v1_GetTaskProgressRequest__Output } from './maxcompute/gateway/v1/GetTaskProgressRequest.js';
import type { GetTaskResultRequest as _maxcompute_gateway_v1_GetTaskResultRequest, GetTaskResultRequest__Output as _maxcompute_gateway_v1_GetTaskResultRequest__Output } from './maxcompute/gateway/v1/GetTaskResultRequest.js';
import type { GetTaskSummaryRequest as _maxcompute_gateway_v1_GetTaskSummaryRequest, GetTaskSummaryRequest__Output as _maxcompute_gateway_v1_GetTaskSummaryRequest__Output } from './maxcompute/gateway/v1/GetTaskSummaryRequest.js';
import type { GetWorkerLogRequest as _maxcompute_gateway_v1_GetWorkerLogRequest, GetWorkerLogRequest__Output as _maxcompute_gateway_v1_GetWorkerLogRequest__Output } from './maxcompute/gateway/v1/GetWorkerLogRequest.js';
import type { Instance as _maxcompute_gateway_v1_Instance, Instance__Output as _maxcompute_gateway_v1_Instance__Output } from './maxcompute/gateway/v1/Instance.js';
import type { InstanceExistsRequest as _maxcompute_gateway_v1_InstanceExistsRequest, InstanceExistsRequest__Output as _maxcompute_gateway_v1_InstanceExistsRequest__Output } from './maxcompute/gateway/v1/InstanceExistsRequest.js';
import type { InstanceExistsResponse as _maxcompute_gateway_v1_InstanceExistsResponse, InstanceExistsResponse__Output as _maxcompute_gateway_v1_InstanceExistsResponse__Output } from './maxcompute/gateway/v1/InstanceExistsResponse.js';
import type { InstanceServiceClient as _maxcompute_gateway_v1_InstanceServiceClient, InstanceServiceDefinition as _maxcompute_gateway_v1_InstanceServiceDefinition } from './maxcompute/gateway/v1/InstanceService.js';
import type { ListInstancesRequest as _maxcompute_gateway_v1_ListInstancesRequest, ListInstancesRequest__Output as _maxcompute_gateway_v1_ListInstancesRequest__Output } from './maxcompute/gateway/v1/ListInstancesRequest.js';
import type { ListInstancesResponse as _maxcompute_gateway_v1_ListInstancesResponse, ListInstancesResponse__Output as _maxcompute_gateway_v1_ListInstancesResponse__Output } from './maxcompute/gateway/v1/ListInstancesResponse.js';
import type { ListQueueingInfosRequest as _maxcompute_gateway_v1_ListQueueingInfosRequest, ListQueueingInfosRequest__Output as _maxcompute_gateway_v1_ListQueueingInfosRequest__Output } from './maxcompute/gateway/v1/ListQueueingInfosRequest.js';
import type { ListQueueingInfosResponse as _maxcompute_gateway_v1_ListQueueingInfosResponse, ListQueueingInfosResponse__Output as _maxcompute_gateway_v1_ListQueueingInfosResponse__Output } from './maxcompute/gateway/v1/ListQueueingInfosResponse.js';
import type { ListSubInstancesRequest as _maxcompute_gateway_v1_ListSubInstancesRequest, ListSubInstancesRequest__Output as _maxcompute_gateway_v1_ListSubInstancesRequest__Output } from './maxcompute/gateway/v1/ListSubInstancesRequest.js';
import type { ListSubInstancesResponse as _maxcompute_gateway_v1_ListSubInstancesResponse, ListSubInstancesResponse__Output as _maxcompute_gateway_v1_ListSubInstancesResponse__Output } from './maxcompute/gateway/v1/ListSubInstancesResponse.js';
import type { ListTaskResultsRequest as _maxcompute_gateway_v1_ListTaskResultsRequest, ListTaskResultsRequest__Output as _maxcompute_gateway_v1_ListTaskResultsRequest__Output } from './maxcompute/gateway/v1/ListTaskResultsRequest.js';
import type { ListTaskResultsResponse as _maxcompute_gateway_v1_ListTaskResultsResponse, ListTaskResultsResponse__Output as _maxcompute_gateway_v1_ListTaskResultsResponse__Output } from './maxcompute/gateway/v1/ListTaskResultsResponse.js';
import type { ListTasksRequest as _maxcompute_gateway_v1_ListTasksRequest, ListTasksRequest__Output as _maxcompute_gateway_v1_ListTasksRequest__Output } from './maxcompute/gateway/v1/ListTasksRequest.js';
import type { ListTasksResponse as _maxcompute_gateway_v1_ListTasksResponse, ListTasksResponse__Output as _maxcompute_gateway_v1_ListTasksResponse__Output } from './maxcompute/gateway/v1/ListTasksResponse.js';
import type { QueueingInfo as _maxcompute_gateway_v1_QueueingInfo, QueueingInfo__Output as _maxcompute_gateway_v1_QueueingInfo__Output } from './maxcompute/gateway/v1/QueueingInfo.js';
import type { ReadInstanceResultRequest as _maxcompute_gateway_v1_ReadInstanceResultRequest, ReadInstanceResultRequest__Output as _maxcompute_gateway_v1_ReadInstanceResultRequest__Output } from './maxcompute/gateway/v1/ReadInstanceResultRequest.js';
import type { ReadInstanceResultResponse as _maxcompute_gateway_v1_ReadInstanceResultResponse, ReadInstanceResultResponse__Output as _maxcompute_gateway_v1_ReadInstanceResultResponse__Output } from './maxcompute/gateway/v1/ReadInstanceResultResponse.js';
import type { ResultArray as _maxcompute_gateway_v1_ResultArray, ResultArray__Output as _maxcompute_gateway_v1_ResultArray__Output } from './maxcompute/gateway/v1/ResultArray.js';
import type { ResultColumn as _maxcompute_gateway_v1_ResultColumn, ResultColumn__Output as _maxcompute_gateway_v1_ResultColumn__Output } from './maxcompute/gateway/v1/ResultColumn.js';
import type { ResultMap as _maxcompute_gateway_v1_ResultMap, ResultMap__Output as _maxcompute_gateway_v1_ResultMap__Output } from './maxcompute/gateway/v1/ResultMap.js';
import type { ResultRow as _maxcompute_gateway_v1_ResultRow, ResultRow__Output as _maxcompute_gateway_v1_ResultRow__Output } from './maxcompute/gateway/v1/ResultRow.js';
import type { ResultRowBatch as _maxcompute_gateway_v1_ResultRowBatch, ResultRowBatch__Output as _maxcompute_gateway_v1_ResultRowBatch__Output } from './maxcompute/gateway/v1/ResultRowBatch.js';
import type { ResultSchema as _maxcompute_gateway_v1_ResultSchema, ResultSchema__Output as _maxcompute_gateway_v1_ResultSchema__Output } from './maxcompute/gateway/v1/ResultSchema.js';
import type { ResultValue as _maxcompute_gateway_v1_ResultValue, ResultValue__Output as _maxcompute_gateway_v1_ResultValue__Output } from './maxcompute/gateway/v1/ResultValue.js';
import type { SqlJob as _maxcompute_gateway_v1_SqlJob, SqlJob__Output as _maxcompute_gateway_v1_SqlJob__Output } from './maxcompute/gateway/v1/SqlJob.js';
import type { Stage as _maxcompute_gateway_v1_Stage, Stage__Output as _maxcompute_gateway_v1_Stage__Output } from './maxcompute/gateway/v1/Stage.js';
import type { StopInstanceRequest as _maxcompute_gateway_v1_StopInstanceRequest, StopInstanceRequest__Output as _maxcompute_gateway_v1_StopInstanceRequest__Output } from './maxcompute/gateway/v1/StopInstanceRequest.js';
import type { StopInstanceResponse as _maxcompute_gateway_v1_StopInstanceResponse, StopInstanceResponse__Output as _maxcompute_gateway_v1_StopInstanceResponse__Output } from './maxcompute/gateway/v1/StopInstanceResponse.js';
import type { SubInstance as _maxcompute_gateway_v1_SubInstance, SubInstance__Output as _maxcompute_gateway_v1_SubInstance__Output } from './maxcompute/gateway/v1/SubInstance.js';
import type { SubmitSqlRequest as _maxcompute_gateway_v1_SubmitSqlRequest, SubmitSqlRequest__Output as _maxcompute_gateway_v1_SubmitSqlRequest__Output } from './maxcompute/gateway/v1/SubmitSqlRequest.js';
import type { SubmitSqlResponse as _maxcompute_gateway_v1_SubmitSqlResponse, SubmitSqlResponse__Output as _maxcompute_gateway_v1_SubmitSqlResponse__Output } from './maxcompute/gateway/v1/SubmitSqlResponse.js';
import type { SubmitXflowRequest as _maxcompute_gateway_v1_SubmitXflowRequest, SubmitXflowRequest__Output as _maxcompute_gateway_v1_SubmitXflowRequest__Output } from './maxcompute/gateway/v1/SubmitXflowRequest.js';
import type { SubmitXflowResponse as _maxcompute_gateway_v1_SubmitXflowResponse, SubmitXflowResponse__Output as _maxcompute_gateway_v1_SubmitXflowResponse__Output } from './maxcompute/gateway/v1/SubmitXflowResponse.js';
import type { Task as _maxcompute_gateway_v1_Task, Task__Output as _maxcompute_gateway_v1_Task__Output } from './maxcompute/gateway/v1/Task.js';
import type { TaskCost as _maxcompute_gateway_v1_TaskCost, TaskCost__Output as _maxcompute_gateway_v1_TaskCost__Output } from './maxcompute/gateway/v1/TaskCost.js';
import type { TaskDetail as _maxcompute_gateway_v1_TaskDetail, TaskDetail__Output as _maxcompute_gateway_v1_TaskDetail__Output } from './maxcompute/gateway/v1/TaskDetail.js';
import type { TaskProgress as _maxcompute_gateway_v1_TaskProgress, TaskProgress__Output as _maxcompute_gateway_v1_TaskProgress__Output } from './maxcompute/gateway/v1/TaskProgress.js';
import type { TaskResult as _maxcompute_gateway_v1_TaskResult, TaskResult__Output as _maxcompute_gateway_v1_TaskResult__Output } from './maxcompute/gateway/v1/TaskResult.js';
import type { TaskSummary as _maxcompute_gateway_v1_TaskSummary, TaskSummary__Output as _maxcompute_gateway_v1_TaskSummary__Output } from './maxcompute/gateway/v1/TaskSummary.js';
import type { WaitInstanceRequest as _maxcompute_gateway_v1_WaitInstanceRequest, WaitInstanceRequest__Output as _maxcompute_gateway_v1_WaitInstanceRequest__Output } from './maxcompute/gateway/v1/WaitInstanceRequest.js';
import type { WaitInstanceResponse as _maxcompute_gateway_v1_WaitInstanceResponse, WaitInstanceResponse__Output as _maxcompute_gateway_v1_WaitInstanceResponse__Output } from './maxcompute/gateway/v1/WaitInstanceResponse.js';
import type { WatchInstanceRequest as _maxcompute_gateway_v1_WatchInstanceRequest, WatchInstanceRequest__Output as _maxcompute_gateway_v1_WatchInstanceRequest__Output } from './maxcompute/gateway/v1/WatchInstanceRequest.js';
import type { WatchInstanceResponse as _maxcompute_gateway_v1_WatchInstanceResponse, WatchInstanceResponse__Output as _maxcompute_gateway_v1_WatchInstanceResponse__Output } from './maxcompute/gateway/v1/WatchInstanceResponse.js';
import type { WatchInstancesRequest as _maxcompute_gateway_v1_WatchInstancesRequest, WatchInstancesRequest__Output as _maxcompute_gateway_v1_WatchInstancesRequest__Output } from './maxcompute/gateway/v1/WatchInstancesRequest.js';
import type { WatchInstancesResponse as _maxcompute_gateway_v1_WatchInstancesResponse, WatchInstancesResponse__Output as _maxcompute_gateway_v1_WatchInstancesResponse__Output } from './maxcompute/gateway/v1/WatchInstancesResponse.js';
import type { Worker as _maxcompute_gateway_v1_Worker, Worker__Output as _maxcompute_gateway_v1_Worker__Output } from './maxcompute/gateway/v1/Worker.js';
import type { WorkerLog as _maxcompute_gateway_v1_WorkerLog, WorkerLog__Output as _maxcompute_gateway_v1_WorkerLog__Output } from './maxcompute/gateway/v1/WorkerLog.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    api: {
      CustomHttpPattern: MessageTypeDefinition<_google_api_CustomHttpPattern, _google_api_CustomHttpPattern__Output>
      FieldBehavior: EnumTypeDefinition
      FieldInfo: MessageTypeDefinition<_google_api_FieldInfo, _google_api_FieldInfo__Output>
      Http: MessageTypeDefinition<_google_api_Http, _google_api_Http__Output>
      HttpRule: MessageTypeDefinition<_google_api_HttpRule, _google_api_HttpRule__Output>
      TypeReference: MessageTypeDefinition<_google_api_TypeReference, _google_api_TypeReference__Output>
    }
    protobuf: {
      DescriptorProto: MessageTypeDefinition<_google_protobuf_DescriptorProto, _google_protobuf_DescriptorProto__Output>
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      Edition: EnumTypeDefinition
      EnumDescriptorProto: MessageTypeDefinition<_google_protobuf_EnumDescriptorProto, _google_protobuf_EnumDescriptorProto__Output>
      EnumOptions: MessageTypeDefinition<_google_protobuf_EnumOptions, _google_protobuf_EnumOptions__Output>
      EnumValueDescriptorProto: MessageTypeDefinition<_google_protobuf_EnumValueDescriptorProto, _google_protobuf_EnumValueDescriptorProto__Output>
      EnumValueOptions: MessageTypeDefinition<_google_protobuf_EnumValueOptions, _google_protobuf_EnumValueOptions__Output>
      ExtensionRangeOptions: MessageTypeDefinition<_google_protobuf_ExtensionRangeOptions, _google_protobuf_ExtensionRangeOptions__Output>
      FeatureSet: MessageTypeDefinition<_google_protobuf_FeatureSet, _google_protobuf_FeatureSet__Output>
      FeatureSetDefaults: MessageTypeDefinition<_google_protobuf_FeatureSetDefaults, _google_protobuf_FeatureSetDefaults__Output>
      FieldDescriptorProto: MessageTypeDefinition<_google_protobuf_FieldDescriptorProto, _google_protobuf_FieldDescriptorProto__Output>
      FieldOptions: MessageTypeDefinition<_google_protobuf_FieldOptions, _google_protobuf_FieldOptions__Output>
      FileDescriptorProto: MessageTypeDefinition<_google_protobuf_FileDescriptorProto, _google_protobuf_FileDescriptorProto__Output>
      FileDescriptorSet: MessageTypeDefinition<_google_protobuf_FileDescriptorSet, _google_protobuf_FileDescriptorSet__Output>
      FileOptions: MessageTypeDefinition<_google_protobuf_FileOptions, _google_protobuf_FileOptions__Output>
      GeneratedCodeInfo: MessageTypeDefinition<_google_protobuf_GeneratedCodeInfo, _google_protobuf_GeneratedCodeInfo__Output>
      ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>
      MessageOptions: MessageTypeDefinition<_google_protobuf_MessageOptions, _google_protobuf_MessageOptions__Output>
      MethodDescriptorProto: MessageTypeDefinition<_google_protobuf_MethodDescriptorProto, _google_protobuf_MethodDescriptorProto__Output>
      MethodOptions: MessageTypeDefinition<_google_protobuf_MethodOptions, _google_protobuf_MethodOptions__Output>
      NullValue: EnumTypeDefinition
      OneofDescriptorProto: MessageTypeDefinition<_google_protobuf_OneofDescriptorProto, _google_protobuf_OneofDescriptorProto__Output>
      OneofOptions: MessageTypeDefinition<_google_protobuf_OneofOptions, _google_protobuf_OneofOptions__Output>
      ServiceDescriptorProto: MessageTypeDefinition<_google_protobuf_ServiceDescriptorProto, _google_protobuf_ServiceDescriptorProto__Output>
      ServiceOptions: MessageTypeDefinition<_google_protobuf_ServiceOptions, _google_protobuf_ServiceOptions__Output>
      SourceCodeInfo: MessageTypeDefinition<_google_protobuf_SourceCodeInfo, _google_protobuf_SourceCodeInfo__Output>
      Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>
      SymbolVisibility: EnumTypeDefinition
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      UninterpretedOption: MessageTypeDefinition<_google_protobuf_UninterpretedOption, _google_protobuf_UninterpretedOption__Output>
      Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>
    }
  }
  maxcompute: {
    gateway: {
      v1: {
        ArrowRecordBatch: MessageTypeDefinition<_maxcompute_gateway_v1_ArrowRecordBatch, _maxcompute_gateway_v1_ArrowRecordBatch__Output>
        EstimateSqlCostRequest: MessageTypeDefinition<_maxcompute_gateway_v1_EstimateSqlCostRequest, _maxcompute_gateway_v1_EstimateSqlCostRequest__Output>
        EstimateSqlCostResponse: MessageTypeDefinition<_maxcompute_gateway_v1_EstimateSqlCostResponse, _maxcompute_gateway_v1_EstimateSqlCostResponse__Output>
        ExecuteSqlRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ExecuteSqlRequest, _maxcompute_gateway_v1_ExecuteSqlRequest__Output>
        ExecuteSqlResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ExecuteSqlResponse, _maxcompute_gateway_v1_ExecuteSqlResponse__Output>
        GenerateLogviewAddressRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GenerateLogviewAddressRequest, _maxcompute_gateway_v1_GenerateLogviewAddressRequest__Output>
        GenerateLogviewAddressResponse: MessageTypeDefinition<_maxcompute_gateway_v1_GenerateLogviewAddressResponse, _maxcompute_gateway_v1_GenerateLogviewAddressResponse__Output>
        GetInstanceRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetInstanceRequest, _maxcompute_gateway_v1_GetInstanceRequest__Output>
        GetQueueingInfoRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetQueueingInfoRequest, _maxcompute_gateway_v1_GetQueueingInfoRequest__Output>
        GetTaskDetailRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskDetailRequest, _maxcompute_gateway_v1_GetTaskDetailRequest__Output>
        GetTaskProgressRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskProgressRequest, _maxcompute_gateway_v1_GetTaskProgressRequest__Output>
        GetTaskResultRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskResultRequest, _maxcompute_gateway_v1_GetTaskResultRequest__Output>
        GetTaskSummaryRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetTaskSummaryRequest, _maxcompute_gateway_v1_GetTaskSummaryRequest__Output>
        GetWorkerLogRequest: MessageTypeDefinition<_maxcompute_gateway_v1_GetWorkerLogRequest, _maxcompute_gateway_v1_GetWorkerLogRequest__Output>
        Instance: MessageTypeDefinition<_maxcompute_gateway_v1_Instance, _maxcompute_gateway_v1_Instance__Output>
        InstanceExistsRequest: MessageTypeDefinition<_maxcompute_gateway_v1_InstanceExistsRequest, _maxcompute_gateway_v1_InstanceExistsRequest__Output>
        InstanceExistsResponse: MessageTypeDefinition<_maxcompute_gateway_v1_InstanceExistsResponse, _maxcompute_gateway_v1_InstanceExistsResponse__Output>
        /**
         * InstanceService fronts the MaxCompute REST API for job instances. Every RPC names a project; an
         * empty `project` means the gateway's configured default project.
         * 
         * Errors use the canonical gRPC codes with a `google.rpc.ErrorInfo` detail whose domain is
         * `mcgateway.github.io` and whose reason is an UPPER_SNAKE_CASE value this API owns, for example
         * `INSTANCE_NOT_FOUND`, `INSTANCE_NOT_RUNNING`, `UPSTREAM_THROTTLED` or `INVALID_REQUEST`
         * (docs/api-design.md lists them all; clients must expect new ones). When MaxCompute answered
         * with an error, its own code (such as `NoSuchObject`) is in metadata `maxcompute_code`; metadata
         * also carries `project`, `instance_id` and `upstream_request_id` where known. INVALID_ARGUMENT
         * also carries `google.rpc.BadRequest` field violations, RESOURCE_EXHAUSTED a
         * `google.rpc.QuotaFailure` when a gateway limit refused the call, and UNAVAILABLE or
         * RESOURCE_EXHAUSTED a `google.rpc.RetryInfo` when it is known when to retry. Every RPC can
         * return UNAUTHENTICATED (missing or unknown bearer token), PERMISSION_DENIED (the token may not
         * use the project; checked before existence), UNAVAILABLE (MaxCompute unreachable or failing;
         * safe to retry for reads), DEADLINE_EXCEEDED and INTERNAL (a gateway bug; a
         * `google.rpc.RequestInfo` carries a request id that also appears in the gateway's logs).
         */
        InstanceService: SubtypeConstructor<typeof grpc.Client, _maxcompute_gateway_v1_InstanceServiceClient> & { service: _maxcompute_gateway_v1_InstanceServiceDefinition }
        ListInstancesRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ListInstancesRequest, _maxcompute_gateway_v1_ListInstancesRequest__Output>
        ListInstancesResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ListInstancesResponse, _maxcompute_gateway_v1_ListInstancesResponse__Output>
        ListQueueingInfosRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ListQueueingInfosRequest, _maxcompute_gateway_v1_ListQueueingInfosRequest__Output>
        ListQueueingInfosResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ListQueueingInfosResponse, _maxcompute_gateway_v1_ListQueueingInfosResponse__Output>
        ListSubInstancesRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ListSubInstancesRequest, _maxcompute_gateway_v1_ListSubInstancesRequest__Output>
        ListSubInstancesResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ListSubInstancesResponse, _maxcompute_gateway_v1_ListSubInstancesResponse__Output>
        ListTaskResultsRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ListTaskResultsRequest, _maxcompute_gateway_v1_ListTaskResultsRequest__Output>
        ListTaskResultsResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ListTaskResultsResponse, _maxcompute_gateway_v1_ListTaskResultsResponse__Output>
        ListTasksRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ListTasksRequest, _maxcompute_gateway_v1_ListTasksRequest__Output>
        ListTasksResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ListTasksResponse, _maxcompute_gateway_v1_ListTasksResponse__Output>
        QueueingInfo: MessageTypeDefinition<_maxcompute_gateway_v1_QueueingInfo, _maxcompute_gateway_v1_QueueingInfo__Output>
        ReadInstanceResultRequest: MessageTypeDefinition<_maxcompute_gateway_v1_ReadInstanceResultRequest, _maxcompute_gateway_v1_ReadInstanceResultRequest__Output>
        ReadInstanceResultResponse: MessageTypeDefinition<_maxcompute_gateway_v1_ReadInstanceResultResponse, _maxcompute_gateway_v1_ReadInstanceResultResponse__Output>
        ResultArray: MessageTypeDefinition<_maxcompute_gateway_v1_ResultArray, _maxcompute_gateway_v1_ResultArray__Output>
        ResultColumn: MessageTypeDefinition<_maxcompute_gateway_v1_ResultColumn, _maxcompute_gateway_v1_ResultColumn__Output>
        ResultMap: MessageTypeDefinition<_maxcompute_gateway_v1_ResultMap, _maxcompute_gateway_v1_ResultMap__Output>
        ResultRow: MessageTypeDefinition<_maxcompute_gateway_v1_ResultRow, _maxcompute_gateway_v1_ResultRow__Output>
        ResultRowBatch: MessageTypeDefinition<_maxcompute_gateway_v1_ResultRowBatch, _maxcompute_gateway_v1_ResultRowBatch__Output>
        ResultSchema: MessageTypeDefinition<_maxcompute_gateway_v1_ResultSchema, _maxcompute_gateway_v1_ResultSchema__Output>
        ResultValue: MessageTypeDefinition<_maxcompute_gateway_v1_ResultValue, _maxcompute_gateway_v1_ResultValue__Output>
        SqlJob: MessageTypeDefinition<_maxcompute_gateway_v1_SqlJob, _maxcompute_gateway_v1_SqlJob__Output>
        Stage: MessageTypeDefinition<_maxcompute_gateway_v1_Stage, _maxcompute_gateway_v1_Stage__Output>
        StopInstanceRequest: MessageTypeDefinition<_maxcompute_gateway_v1_StopInstanceRequest, _maxcompute_gateway_v1_StopInstanceRequest__Output>
        StopInstanceResponse: MessageTypeDefinition<_maxcompute_gateway_v1_StopInstanceResponse, _maxcompute_gateway_v1_StopInstanceResponse__Output>
        SubInstance: MessageTypeDefinition<_maxcompute_gateway_v1_SubInstance, _maxcompute_gateway_v1_SubInstance__Output>
        SubmitSqlRequest: MessageTypeDefinition<_maxcompute_gateway_v1_SubmitSqlRequest, _maxcompute_gateway_v1_SubmitSqlRequest__Output>
        SubmitSqlResponse: MessageTypeDefinition<_maxcompute_gateway_v1_SubmitSqlResponse, _maxcompute_gateway_v1_SubmitSqlResponse__Output>
        SubmitXflowRequest: MessageTypeDefinition<_maxcompute_gateway_v1_SubmitXflowRequest, _maxcompute_gateway_v1_SubmitXflowRequest__Output>
        SubmitXflowResponse: MessageTypeDefinition<_maxcompute_gateway_v1_SubmitXflowResponse, _maxcompute_gateway_v1_SubmitXflowResponse__Output>
        Task: MessageTypeDefinition<_maxcompute_gateway_v1_Task, _maxcompute_gateway_v1_Task__Output>
        TaskCost: MessageTypeDefinition<_maxcompute_gateway_v1_TaskCost, _maxcompute_gateway_v1_TaskCost__Output>
        TaskDetail: MessageTypeDefinition<_maxcompute_gateway_v1_TaskDetail, _maxcompute_gateway_v1_TaskDetail__Output>
        TaskProgress: MessageTypeDefinition<_maxcompute_gateway_v1_TaskProgress, _maxcompute_gateway_v1_TaskProgress__Output>
        TaskResult: MessageTypeDefinition<_maxcompute_gateway_v1_TaskResult, _maxcompute_gateway_v1_TaskResult__Output>
        TaskSummary: MessageTypeDefinition<_maxcompute_gateway_v1_TaskSummary, _maxcompute_gateway_v1_TaskSummary__Output>
        WaitInstanceRequest: MessageTypeDefinition<_maxcompute_gateway_v1_WaitInstanceRequest, _maxcompute_gateway_v1_WaitInstanceRequest__Output>
        WaitInstanceResponse: MessageTypeDefinition<_maxcompute_gateway_v1_WaitInstanceResponse, _maxcompute_gateway_v1_WaitInstanceResponse__Output>
        WatchInstanceRequest: MessageTypeDefinition<_maxcompute_gateway_v1_WatchInstanceRequest, _maxcompute_gateway_v1_WatchInstanceRequest__Output>
        WatchInstanceResponse: MessageTypeDefinition<_maxcompute_gateway_v1_WatchInstanceResponse, _maxcompute_gateway_v1_WatchInstanceResponse__Output>
        WatchInstancesRequest: MessageTypeDefinition<_maxcompute_gateway_v1_WatchInstancesRequest, _maxcompute_gateway_v1_WatchInstancesRequest__Output>
        WatchInstancesResponse: MessageTypeDefinition<_maxcompute_gateway_v1_WatchInstancesResponse, _maxcompute_gateway_v1_WatchInstancesResponse__Output>
        Worker: MessageTypeDefinition<_maxcompute_gateway_v1_Worker, _maxcompute_gateway_v1_Worker__Output>
        WorkerLog: MessageTypeDefinition<_maxcompute_gateway_v1_WorkerLog, _maxcompute_gateway_v1_WorkerLog__Output>
      }
    }
  }
}

