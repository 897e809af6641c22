package mcemu.sdk;

import com.aliyun.odps.Instance;
import com.aliyun.odps.InstanceFilter;
import com.aliyun.odps.LogType;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.Task;
import com.aliyun.odps.Column;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.InstanceTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import com.aliyun.odps.tunnel.io.TunnelRecordReader;
import com.aliyun.odps.commons.util.CostResultParser;
import com.aliyun.odps.options.CreateInstanceOption;
import com.aliyun.odps.options.SQLTaskOption;
import com.aliyun.odps.task.SQLCostTask;
import com.aliyun.odps.task.SQLTask;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The official MaxCompute Java SDK (odps-sdk-core) driven through its own API against the
 * emulator. Each scenario prints one line, {@code @@oracle {"scenario":..,"ok":..,"data":..}},
 * with what the SDK returned; tests/sdk/test_official_sdks.py asserts on it. Scenarios clean
 * up after themselves (they stop every instance they leave running).
 *
 * <p>Environment: MCEMU_ENDPOINT, MCEMU_PROJECT, MCEMU_ACCESS_ID, MCEMU_ACCESS_KEY and
 * MCEMU_SLOTS (the emulator's worker slots). Arguments: scenario names (default: all).
 */
public final class Oracle {
  private static final String PREFIX = "@@oracle ";
  private static final String TASK = "AnonymousSQLTask";
  private static final String MISSING_ID = "20160519101349613gzbzufck2";
  private static final String DURATION = "mcemulator.duration_seconds";
  private static final long DEADLINE_MS = 60_000;
  private static final Gson GSON =
      new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  private interface Scenario {
    Map<String, Object> run() throws Exception;
  }

  private final Odps odps;
  private final String project;
  private final int slots;

  private Oracle(Map<String, String> env) {
    odps = new Odps(new AliyunAccount(env.get("MCEMU_ACCESS_ID"), env.get("MCEMU_ACCESS_KEY")));
    odps.setEndpoint(env.get("MCEMU_ENDPOINT"));
    project = env.get("MCEMU_PROJECT");
    odps.setDefaultProject(project);
    slots = Integer.parseInt(env.getOrDefault("MCEMU_SLOTS", "2"));
  }

  public static void main(String[] args) {
    Oracle oracle = new Oracle(System.getenv());
    Map<String, Scenario> all = oracle.scenarios();
    List<String> names = args.length > 0 ? List.of(args) : new ArrayList<>(all.keySet());
    for (String name : names) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("scenario", name);
      long started = System.nanoTime();
      try {
        Scenario scenario = all.get(name);
        if (scenario == null) {
          throw new IllegalArgumentException("no scenario " + name);
        }
        line.put("data", scenario.run());
        line.put("ok", true);
      } catch (Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        line.put("ok", false);
        line.put("error", trace.toString());
      }
      line.put("seconds", (System.nanoTime() - started) / 1e9);
      System.out.println(PREFIX + GSON.toJson(line));
      System.out.flush();
    }
    // The SDK leaves non-daemon threads behind that would keep the JVM up for seconds.
    System.exit(0);
  }

  private Map<String, Scenario> scenarios() {
    Map<String, Scenario> s = new LinkedHashMap<>();
    s.put("run_sql", this::runSql);
    s.put("progress_and_stop", this::progressAndStop);
    s.put("stop_terminated", this::stopTerminated);
    s.put("list_status_filter", this::listStatusFilter);
    s.put("exists", this::exists);
    s.put("logview", this::logview);
    s.put("failed_sql", this::failedSql);
    s.put("summary_and_cost", this::summaryAndCost);
    s.put("detail_and_workers", this::detailAndWorkers);
    s.put("worker_log", this::workerLog);
    s.put("queueing", this::queueing);
    s.put("submit_options", this::submitOptions);
    s.put("sql_cost", this::sqlCost);
    s.put("instance_tunnel", this::instanceTunnel);
    return s;
  }

  // -- helpers ---------------------------------------------------------------------------

  private Instance sql(String query, double seconds, Integer priority) throws OdpsException {
    Map<String, String> hints = new TreeMap<>();
    hints.put(DURATION, String.valueOf(seconds));
    SQLTaskOption option =
        new SQLTaskOption.Builder()
            .setTaskName(TASK)
            .setHints(hints)
            .setInstanceOption(
                new CreateInstanceOption.Builder()
                    .setProjectName(project)
                    .setPriority(priority)
                    .build())
            .build();
    return SQLTask.run(odps, query, option);
  }

  private static void waitTerminated(Instance inst) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (!inst.isTerminated()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(inst.getId() + " did not terminate");
      }
      Thread.sleep(20);
    }
  }

  private static Instance.TaskStatus.Status taskStatus(Instance inst) throws OdpsException {
    Instance.TaskStatus status = inst.getTaskStatus().get(TASK);
    return status == null ? null : status.getStatus();
  }

  private static void waitTask(Instance inst, Set<Instance.TaskStatus.Status> wanted)
      throws OdpsException, InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (!wanted.contains(taskStatus(inst))) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(inst.getId() + " task never reached " + wanted);
      }
      Thread.sleep(20);
    }
  }

  private static void stopQuietly(Instance inst) {
    try {
      inst.stop();
    } catch (OdpsException e) {
      // already terminated
    }
  }

  private static Long millis(Date date) {
    return date == null ? null : date.getTime();
  }

  private static Map<String, Object> error(Exception e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("class", e.getClass().getSimpleName());
    out.put("message", e.getMessage());
    if (e instanceof OdpsException) {
      out.put("code", ((OdpsException) e).getErrorCode());
      out.put("status", ((OdpsException) e).getStatus());
    }
    return out;
  }

  private static Map<String, Object> taskStatuses(Instance inst) throws OdpsException {
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<String, Instance.TaskStatus> e : inst.getTaskStatus().entrySet()) {
      Map<String, Object> task = new LinkedHashMap<>();
      task.put("status", e.getValue().getStatus().toString());
      task.put("type", e.getValue().getType());
      out.put(e.getKey(), task);
    }
    return out;
  }

  private static List<Object> stages(List<Instance.StageProgress> stages) {
    List<Object> out = new ArrayList<>();
    for (Instance.StageProgress s : stages) {
      Map<String, Object> stage = new LinkedHashMap<>();
      stage.put("name", s.getName());
      stage.put("status", s.getStatus() == null ? null : s.getStatus().toString());
      stage.put("running", s.getRunningWorkers());
      stage.put("terminated", s.getTerminatedWorkers());
      stage.put("total", s.getTotalWorkers());
      stage.put("backups", s.getBackupWorkers());
      stage.put("input_records", s.getInputRecords());
      stage.put("output_records", s.getOutputRecords());
      stage.put("percentage", s.getFinishedPercentage());
      out.add(stage);
    }
    return out;
  }

  private static Map<String, Object> queueInfo(Instance.InstanceQueueingInfo info) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", info.getId());
    out.put("priority", info.getPriority());
    out.put("progress", info.getProgress());
    out.put("status", info.getStatus() == null ? null : info.getStatus().toString());
    out.put("wait_pos", info.getProperty("waitPos", Integer.class));
    out.put("queue_length", info.getProperty("queueLength", Integer.class));
    if (info.getId() != null) {
      out.put("task_name", info.getTaskName());
      out.put("task_type", info.getTaskType());
      out.put("user_account", info.getUserAccount());
      out.put("project", info.getProject());
      out.put("start_time", millis(info.getStartTime()));
      out.put("history", info.getProperty("subStatusHistory", List.class));
    }
    return out;
  }

  // -- scenarios: the seed's operations ---------------------------------------------------

  private Map<String, Object> runSql() throws Exception {
    Instance inst = sql("select * from pyodps_iris limit 1", 0, null);
    inst.waitForSuccess(20);
    Instance fresh = odps.instances().get(inst.getId());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", inst.getId());
    data.put("result", inst.getTaskResults().get(TASK));
    data.put("raw_result", SQLTask.getRawResult(inst));
    data.put("successful", inst.isSuccessful());
    data.put("status", fresh.getStatus().toString());
    data.put("task_names", new ArrayList<>(inst.getTaskNames()));
    data.put("tasks", taskStatuses(inst));
    data.put("owner", fresh.getOwner());
    data.put("start_time", millis(fresh.getStartTime()));
    data.put("end_time", millis(fresh.getEndTime()));
    List<Object> records = new ArrayList<>();
    for (com.aliyun.odps.data.Record r : SQLTask.getResult(inst)) {
      records.add(r.getString("name"));
    }
    data.put("records", records);
    // The blocking wait (long-polled ?instancestatus) and the result in one call.
    Instance direct = sql("select 7 as n", 0, null);
    data.put("direct_result", direct.waitForTerminatedAndGetResult().getString());
    return data;
  }

  private Map<String, Object> progressAndStop() throws Exception {
    Instance inst = sql("select name, count(*) from pyodps_iris group by name", 60, null);
    Map<String, Object> data = new LinkedHashMap<>();
    try {
      waitTask(inst, Set.of(Instance.TaskStatus.Status.RUNNING));
      Instance fresh = odps.instances().get(inst.getId());
      data.put("status_running", fresh.getStatus().toString());
      data.put("end_time_running", millis(fresh.getEndTime()));
      data.put("terminated_running", fresh.isTerminated());
      data.put("task_running", taskStatus(inst).toString());
      List<Instance.StageProgress> progress = inst.getTaskProgress(TASK);
      data.put("stages", stages(progress));
      data.put("formatted", Instance.getStageProgressFormattedString(progress));
    } finally {
      inst.stop();
    }
    waitTerminated(inst);
    Instance stopped = odps.instances().get(inst.getId());
    data.put("status_stopped", stopped.getStatus().toString());
    data.put("task_stopped", taskStatus(stopped).toString());
    data.put("end_time_stopped", millis(stopped.getEndTime()));
    try {
      stopped.waitForSuccess(20);
      data.put("wait_error", null);
    } catch (OdpsException e) {
      data.put("wait_error", error(e));
    }
    return data;
  }

  private Map<String, Object> stopTerminated() throws Exception {
    Instance inst = sql("select 1", 0, null);
    inst.waitForSuccess(20);
    Map<String, Object> data = new LinkedHashMap<>();
    try {
      odps.instances().get(inst.getId()).stop();
      data.put("error", null);
    } catch (OdpsException e) {
      data.put("error", error(e));
    }
    try {
      odps.instances().get(MISSING_ID).stop();
      data.put("missing_error", null);
    } catch (OdpsException e) {
      data.put("missing_error", error(e));
    }
    return data;
  }

  private List<String> listed(Instance.Status status) {
    InstanceFilter filter = new InstanceFilter();
    filter.setStatus(status);
    filter.setOnlyOwner(false);
    List<String> ids = new ArrayList<>();
    for (Instance i : odps.instances().iterable(filter)) {
      ids.add(i.getId());
    }
    return ids;
  }

  private Map<String, Object> listStatusFilter() throws Exception {
    Instance done = sql("select 1", 0, null);
    done.waitForSuccess(20);
    Instance slow = sql("select 2", 60, null);
    Map<String, Object> data = new LinkedHashMap<>();
    try {
      data.put("done", done.getId());
      data.put("running", slow.getId());
      data.put("listed_running", listed(Instance.Status.RUNNING));
      data.put("listed_terminated", listed(Instance.Status.TERMINATED));
      List<String> all = new ArrayList<>();
      for (Instance i : odps.instances()) {
        all.add(i.getId());
      }
      data.put("listed_all", all);
    } finally {
      slow.stop();
    }
    return data;
  }

  private Map<String, Object> exists() throws Exception {
    Instance inst = sql("select 1", 0, null);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("existing", odps.instances().exists(inst.getId()));
    data.put("missing", odps.instances().exists(MISSING_ID));
    inst.waitForSuccess(20);
    return data;
  }

  private Map<String, Object> logview() throws Exception {
    Instance inst = sql("select 1", 0, null);
    inst.waitForSuccess(20);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", inst.getId());
    data.put("url", odps.logview().generateLogView(inst, 1));
    return data;
  }

  private Map<String, Object> failedSql() throws Exception {
    Instance inst = sql("selec 1 from pyodps_iris", 0, null);
    Map<String, Object> data = new LinkedHashMap<>();
    try {
      inst.waitForSuccess(20);
      data.put("error", null);
    } catch (OdpsException e) {
      data.put("error", error(e));
    }
    data.put("successful", inst.isSuccessful());
    data.put("tasks", taskStatuses(inst));
    data.put("result", inst.getTaskResults().get(TASK));
    return data;
  }

  // -- scenarios: the calls beyond the seed ----------------------------------------------

  private Map<String, Object> summaryAndCost() throws Exception {
    Instance inst = sql("select name, count(*) from pyodps_iris group by name", 0.2, null);
    inst.waitForSuccess(20);
    Instance.TaskSummary summary = inst.getTaskSummary(TASK);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", inst.getId());
    data.put("text", summary == null ? null : summary.getSummaryText());
    data.put("json", summary == null ? null : summary.getJsonSummary());
    data.put("summary_cost", summary == null ? null : summary.get("Cost"));
    Instance.TaskCost cost = inst.getTaskCost(TASK);
    if (cost != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("cpu", cost.getCPUCost());
      c.put("memory", cost.getMemoryCost());
      c.put("input", cost.getInputSize());
      data.put("cost", c);
    } else {
      data.put("cost", null);
    }
    try {
      inst.getTaskSummary("NoSuchTask");
      data.put("unknown_task_error", null);
    } catch (OdpsException e) {
      data.put("unknown_task_error", error(e));
    }
    return data;
  }

  private Map<String, Object> detailAndWorkers() throws Exception {
    Instance inst =
        sql(
            "select a.name, count(*) from pyodps_iris a join pyodps_iris b on a.name = b.name"
                + " group by a.name",
            0,
            null);
    inst.waitForSuccess(20);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", inst.getId());
    data.put("detail", inst.getTaskDetailJson(TASK));
    data.put("detail2", inst.getTaskDetailJson2(TASK));
    List<Object> names = new ArrayList<>();
    for (Instance.StageProgress s : inst.getTaskProgress(TASK)) {
      names.add(s.getName());
    }
    data.put("stages", names);
    return data;
  }

  private static String firstLogId(String detailJson) {
    JsonObject root = JsonParser.parseString(detailJson).getAsJsonObject();
    JsonArray jobs = root.getAsJsonObject("mapReduce").getAsJsonArray("jobs");
    JsonObject task = jobs.get(0).getAsJsonObject().getAsJsonArray("tasks").get(0).getAsJsonObject();
    return task.getAsJsonArray("instances").get(0).getAsJsonObject().get("logId").getAsString();
  }

  private Map<String, Object> workerLog() throws Exception {
    Instance inst = sql("select * from pyodps_iris", 0, null);
    inst.waitForSuccess(20);
    Instance other = sql("select 1", 0, null);
    other.waitForSuccess(20);
    String logId = firstLogId(inst.getTaskDetailJson2(TASK));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", inst.getId());
    data.put("log_id", logId);
    data.put("stdout", inst.getLog(logId, LogType.STDOUT, 0));
    data.put("stderr", inst.getLog(logId, LogType.STDERR, 0));
    data.put("waterfall", inst.getLog(logId, LogType.WATERFALL_SUMMARY, 0));
    data.put("tail", inst.getLog(logId, LogType.STDOUT, 20));
    try {
      other.getLog(logId, LogType.STDOUT, 0);
      data.put("foreign_error", null);
    } catch (OdpsException e) {
      data.put("foreign_error", error(e));
    }
    return data;
  }

  private Map<String, Object> queueing() throws Exception {
    List<Instance> started = new ArrayList<>();
    Map<String, Object> data = new LinkedHashMap<>();
    try {
      List<Instance> blockers = new ArrayList<>();
      for (int i = 0; i < slots; i++) {
        Instance blocker = sql("select " + i, 120, 9);
        started.add(blocker);
        blockers.add(blocker);
      }
      for (Instance blocker : blockers) {
        waitTask(blocker, Set.of(Instance.TaskStatus.Status.RUNNING));
      }
      Instance low = sql("select 'low'", 120, 7);
      started.add(low);
      Instance mid = sql("select 'mid'", 120, 5);
      started.add(mid);
      Instance high = sql("select 'high'", 120, 1);
      started.add(high);
      data.put("ids", List.of(low.getId(), mid.getId(), high.getId()));
      data.put("blocker", queueInfo(blockers.get(0).getQueueingInfo()));
      Map<String, Object> before = new LinkedHashMap<>();
      before.put("low", queueInfo(low.getQueueingInfo()));
      before.put("mid", queueInfo(mid.getQueueingInfo()));
      before.put("high", queueInfo(high.getQueueingInfo()));
      data.put("before", before);
      data.put("low_task_before", taskStatus(low).toString());
      List<Object> listed = new ArrayList<>();
      Iterator<Instance.InstanceQueueingInfo> it = odps.instances().iteratorQueueing();
      while (it.hasNext()) {
        listed.add(queueInfo(it.next()));
      }
      data.put("listed", listed);
      blockers.get(0).stop();
      waitTask(high, Set.of(Instance.TaskStatus.Status.RUNNING));
      Map<String, Object> after = new LinkedHashMap<>();
      after.put("low", queueInfo(low.getQueueingInfo()));
      after.put("mid", queueInfo(mid.getQueueingInfo()));
      after.put("high", queueInfo(high.getQueueingInfo()));
      data.put("after", after);
      data.put("priorities", List.of(low.getPriority(), mid.getPriority(), high.getPriority()));
      low.stop();
      waitTerminated(low);
      data.put("terminated", queueInfo(low.getQueueingInfo()));
    } finally {
      for (Instance inst : started) {
        stopQuietly(inst);
      }
    }
    return data;
  }

  private Map<String, Object> submitOptions() throws Exception {
    SQLTask task = new SQLTask();
    task.setName("OracleTask");
    task.setQuery("select 42 as answer;");
    CreateInstanceOption option =
        new CreateInstanceOption.Builder()
            .setProjectName(project)
            .setPriority(3)
            .setRunningCluster("emulator_cluster")
            .setJobName("oracle_job")
            .build();
    Instance inst = odps.instances().create(task, option);
    inst.waitForSuccess(20);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", inst.getId());
    data.put("priority", inst.getPriority());
    data.put("job_name", inst.getJobName());
    List<Object> tasks = new ArrayList<>();
    for (Task t : inst.getTasks()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", t.getName());
      entry.put("class", t.getClass().getSimpleName());
      entry.put("query", t instanceof SQLTask ? ((SQLTask) t).getQuery() : null);
      tasks.add(entry);
    }
    data.put("tasks", tasks);
    data.put("result", inst.getTaskResults().get("OracleTask"));
    try {
      odps.instances().create(task, new CreateInstanceOption.Builder().setPriority(10).build());
      data.put("priority_10_error", null);
    } catch (OdpsException e) {
      data.put("priority_10_error", error(e));
    }
    return data;
  }

  private Map<String, Object> sqlCost() throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    String[] queries = {
      "select * from pyodps_iris",
      "select a.name, count(*) from pyodps_iris a join pyodps_iris b on a.name = b.name"
          + " group by a.name order by a.name",
    };
    List<Object> costs = new ArrayList<>();
    for (String query : queries) {
      Instance inst = SQLCostTask.run(odps, query);
      inst.waitForSuccess(20);
      String result = inst.getTaskResults().get("AnonymousSQLCostTask");
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", inst.getId());
      entry.put("result", result);
      entry.put("parsed", CostResultParser.parse(result, "SQL"));
      entry.put("tasks", taskStatuses(inst));
      costs.add(entry);
    }
    data.put("costs", costs);
    return data;
  }

  // -- instance tunnel -------------------------------------------------------------------

  /** A record value as text the test can compare exactly, whatever Java type carries it. */
  private static Object render(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof java.sql.Timestamp) {
      java.sql.Timestamp ts = (java.sql.Timestamp) v;
      return "ts:" + Math.floorDiv(ts.getTime(), 1000L) + "." + ts.getNanos();
    }
    if (v instanceof Date) {
      return "ms:" + ((Date) v).getTime();
    }
    // Instants, so the check does not depend on the JVM's time zone.
    if (v instanceof java.time.ZonedDateTime) {
      return "ms:" + ((java.time.ZonedDateTime) v).toInstant().toEpochMilli();
    }
    if (v instanceof java.time.Instant) {
      java.time.Instant at = (java.time.Instant) v;
      return "ts:" + at.getEpochSecond() + "." + at.getNano();
    }
    if (v instanceof java.time.LocalDate) {
      return "date:" + v;
    }
    if (v instanceof com.aliyun.odps.data.Binary) {
      v = ((com.aliyun.odps.data.Binary) v).data();
    }
    if (v instanceof byte[]) {
      StringBuilder hex = new StringBuilder("hex:");
      for (byte b : (byte[]) v) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    }
    if (v instanceof java.math.BigDecimal) {
      return ((java.math.BigDecimal) v).toPlainString();
    }
    if (v instanceof Number || v instanceof Boolean || v instanceof String) {
      return v;
    }
    return v.getClass().getSimpleName() + ":" + v;
  }

  private static List<Object> rows(TunnelRecordReader reader) throws Exception {
    List<Object> out = new ArrayList<>();
    Record record;
    while ((record = reader.read()) != null) {
      List<Object> row = new ArrayList<>();
      for (int i = 0; i < record.getColumnCount(); i++) {
        row.add(render(record.get(i)));
      }
      out.add(row);
    }
    reader.close();
    return out;
  }

  private Map<String, Object> instanceTunnel() throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    InstanceTunnel tunnel = new InstanceTunnel(odps);
    Instance typed =
        sql(
            "select 9007199254740993::bigint as big, 0.1::double as dbl,"
                + " 12345678901234567890.123456789::decimal(38,9) as dec, 'h\u00e9llo' as s,"
                + " true as bo, DATE '1969-12-31' as d, TIMESTAMP '2024-01-02 03:04:05.678' as dtm,"
                + " '2024-02-29 12:34:56.123456789'::TIMESTAMP_NS as ts, '\\x00\\xff'::blob as bin,"
                + " 7::int as i union all select null, null, null, null, null, null, null, null,"
                + " null, null",
            0.0,
            null);
    waitTerminated(typed);
    InstanceTunnel.DownloadSession session = tunnel.createDownloadSession(project, typed.getId());
    List<Object> types = new ArrayList<>();
    for (Column c : session.getSchema().getColumns()) {
      types.add(c.getName() + ":" + c.getTypeInfo().getTypeName().toLowerCase());
    }
    data.put("types", types);
    data.put("count", session.getRecordCount());
    data.put("rows", rows(session.openRecordReader(0, session.getRecordCount())));

    Instance big = sql("select range as id, 'row' || range as label from range(25000)", 0.0, null);
    waitTerminated(big);
    InstanceTunnel.DownloadSession whole = tunnel.createDownloadSession(project, big.getId());
    data.put("big_count", whole.getRecordCount());
    List<Column> label = new ArrayList<>();
    label.add(whole.getSchema().getColumn("label"));
    data.put("range", rows(whole.openRecordReader(12000, 3, true, label)));
    long sum = 0;
    TunnelRecordReader all = whole.openRecordReader(0, whole.getRecordCount(), true);
    Record record;
    long n = 0;
    while ((record = all.read()) != null) {
      sum += record.getBigint(0);
      n++;
    }
    all.close();
    data.put("read", n);
    data.put("id_sum", sum);
    data.put("limited_count", tunnel.createDownloadSession(project, big.getId(), true).getRecordCount());

    Instance running = sql("select 1", 30.0, null);
    try {
      tunnel.createDownloadSession(project, running.getId());
      data.put("running_error", null);
    } catch (TunnelException e) {
      Map<String, Object> err = new LinkedHashMap<>();
      err.put("code", e.getErrorCode());
      err.put("message", e.getErrorMsg());
      data.put("running_error", err);
    } finally {
      stopQuietly(running);
    }
    return data;
  }
}
