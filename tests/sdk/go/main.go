// Command sdk-oracle drives the official MaxCompute Go SDK (aliyun-odps-go-sdk) through its own
// API against the emulator. Each scenario prints one line,
// `@@oracle {"scenario":..,"ok":..,"data":..}`, with what the SDK returned;
// tests/sdk/test_official_sdks.py asserts on it. Scenarios stop every instance they leave
// running.
//
// Environment: MCEMU_ENDPOINT, MCEMU_PROJECT, MCEMU_ACCESS_ID, MCEMU_ACCESS_KEY and
// MCEMU_SLOTS (the emulator's worker slots). Arguments: scenario names (default: all).
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/aliyun/aliyun-odps-go-sdk/odps"
	"github.com/aliyun/aliyun-odps-go-sdk/odps/account"
	"github.com/aliyun/aliyun-odps-go-sdk/odps/options"
	"github.com/aliyun/aliyun-odps-go-sdk/odps/restclient"
)

const (
	prefix    = "@@oracle "
	taskName  = "AnonymousSQLTask"
	missingID = "20160519101349613gzbzufck2"
	duration  = "mcemulator.duration_seconds"
	deadline  = 60 * time.Second
)

type data = map[string]any

type oracle struct {
	odps    *odps.Odps
	project string
	slots   int
}

type scenario struct {
	name string
	run  func() (data, error)
}

func main() {
	slots, err := strconv.Atoi(envOr("MCEMU_SLOTS", "2"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "MCEMU_SLOTS:", err)
		os.Exit(2)
	}
	o := &oracle{
		odps: odps.NewOdps(
			account.NewAliyunAccount(os.Getenv("MCEMU_ACCESS_ID"), os.Getenv("MCEMU_ACCESS_KEY")),
			os.Getenv("MCEMU_ENDPOINT"),
		),
		project: os.Getenv("MCEMU_PROJECT"),
		slots:   slots,
	}
	o.odps.SetDefaultProjectName(o.project)
	all := o.scenarios()
	names := os.Args[1:]
	if len(names) == 0 {
		for _, s := range all {
			names = append(names, s.name)
		}
	}
	for _, name := range names {
		line := data{"scenario": name}
		started := time.Now()
		result, err := o.runOne(all, name)
		if err != nil {
			line["ok"] = false
			line["error"] = fmt.Sprintf("%+v", err)
		} else {
			line["ok"] = true
			line["data"] = result
		}
		line["seconds"] = time.Since(started).Seconds()
		encoded, err := json.Marshal(line)
		if err != nil {
			encoded, _ = json.Marshal(data{"scenario": name, "ok": false, "error": err.Error()})
		}
		fmt.Println(prefix + string(encoded))
	}
}

func (o *oracle) runOne(all []scenario, name string) (result data, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	for _, s := range all {
		if s.name == name {
			return s.run()
		}
	}
	return nil, fmt.Errorf("no scenario %s", name)
}

func (o *oracle) scenarios() []scenario {
	return []scenario{
		{"run_sql", o.runSQL},
		{"progress_and_stop", o.progressAndStop},
		{"stop_terminated", o.stopTerminated},
		{"list_status_filter", o.listStatusFilter},
		{"exists", o.exists},
		{"logview", o.logview},
		{"failed_sql", o.failedSQL},
		{"summary_and_cost", o.summaryAndCost},
		{"detail_and_workers", o.detailAndWorkers},
		{"queueing", o.queueing},
		{"submit_options", o.submitOptions},
		{"sql_cost", o.sqlCost},
	}
}

// -- helpers --------------------------------------------------------------------------------

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func (o *oracle) sql(query string, seconds float64, priority int) (*odps.Instance, error) {
	hints := map[string]string{duration: strconv.FormatFloat(seconds, 'f', -1, 64)}
	task := odps.NewSQLTaskWithOptions(query, options.NewSQLTaskOptions(options.WithHints(hints)))
	opts := options.NewCreateInstanceOptions(options.WithPriority(priority))
	return o.odps.Instances().CreateTask(o.project, &task, opts)
}

// waitTerminated polls the instance's status quickly (WaitForSuccess sleeps a whole second
// between its polls); WaitForSuccess afterwards answers at once.
func waitTerminated(ins *odps.Instance) error {
	end := time.Now().Add(deadline)
	for {
		if err := ins.Load(); err != nil {
			return err
		}
		if ins.Status() == odps.InstanceTerminated {
			return nil
		}
		if time.Now().After(end) {
			return fmt.Errorf("%s did not terminate", ins.Id())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func taskStatus(ins *odps.Instance) (odps.TaskStatus, error) {
	tasks, err := ins.GetTasks()
	if err != nil {
		return 0, err
	}
	for _, t := range tasks {
		if t.Name == taskName {
			return t.Status, nil
		}
	}
	return 0, nil
}

func waitTask(ins *odps.Instance, wanted odps.TaskStatus) error {
	end := time.Now().Add(deadline)
	for {
		status, err := taskStatus(ins)
		if err != nil {
			return err
		}
		if status == wanted {
			return nil
		}
		if time.Now().After(end) {
			return fmt.Errorf("%s task never reached %s", ins.Id(), wanted)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func success(ins *odps.Instance) error {
	if err := waitTerminated(ins); err != nil {
		return err
	}
	return ins.WaitForSuccess()
}

func errorData(err error) data {
	if err == nil {
		return nil
	}
	out := data{"message": err.Error()}
	var httpErr restclient.HttpError
	if errors.As(err, &httpErr) {
		out["status"] = httpErr.StatusCode
		if httpErr.ErrorMessage != nil {
			out["code"] = httpErr.ErrorMessage.ErrorCode
			out["error_message"] = httpErr.ErrorMessage.Message
		}
	}
	return out
}

func millis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func tasksData(ins *odps.Instance) (data, error) {
	tasks, err := ins.GetTasks()
	if err != nil {
		return nil, err
	}
	out := data{}
	for _, t := range tasks {
		out[t.Name] = data{"status": t.Status.String(), "type": t.Type}
	}
	return out, nil
}

func firstResult(ins *odps.Instance) (string, error) {
	results, err := ins.GetResult()
	if err != nil {
		return "", err
	}
	if len(results) == 0 {
		return "", errors.New("no task results")
	}
	return results[0].Content(), nil
}

func parseJSON(text string) (any, error) {
	var out any
	err := json.Unmarshal([]byte(text), &out)
	return out, err
}

func (o *oracle) stopAll(instances []*odps.Instance) {
	for _, ins := range instances {
		_ = ins.Terminate() // an instance that already ended answers InvalidStateSetting
	}
}

// -- scenarios: the seed's operations ------------------------------------------------------

func (o *oracle) runSQL() (data, error) {
	ins, err := o.sql("select * from pyodps_iris limit 1", 0, 0)
	if err != nil {
		return nil, err
	}
	if err := success(ins); err != nil {
		return nil, err
	}
	result, err := firstResult(ins)
	if err != nil {
		return nil, err
	}
	fresh := o.odps.Instance(ins.Id())
	if err := fresh.Load(); err != nil {
		return nil, err
	}
	tasks, err := tasksData(ins)
	if err != nil {
		return nil, err
	}
	task := odps.SQLTask{}
	reader, err := task.GetSelectResultAsCsv(ins, false)
	if err != nil {
		return nil, err
	}
	row, err := reader.Read()
	if err != nil {
		return nil, err
	}
	return data{
		"id":         ins.Id(),
		"result":     result,
		"status":     fresh.Status().String(),
		"tasks":      tasks,
		"owner":      fresh.Owner(),
		"start_time": millis(fresh.StartTime()),
		"end_time":   millis(fresh.EndTime()),
		"first_row":  row,
	}, nil
}

func (o *oracle) progressAndStop() (data, error) {
	ins, err := o.sql("select name, count(*) from pyodps_iris group by name", 60, 0)
	if err != nil {
		return nil, err
	}
	out := data{}
	err = func() error {
		defer o.stopAll([]*odps.Instance{ins})
		if err := waitTask(ins, odps.TaskRunning); err != nil {
			return err
		}
		fresh := o.odps.Instance(ins.Id())
		if err := fresh.Load(); err != nil {
			return err
		}
		out["status_running"] = fresh.Status().String()
		out["end_time_running"] = millis(fresh.EndTime())
		status, err := taskStatus(ins)
		if err != nil {
			return err
		}
		out["task_running"] = status.String()
		stages, err := ins.GetTaskProgress(taskName)
		if err != nil {
			return err
		}
		var listed []data
		for _, s := range stages {
			listed = append(listed, data{
				"name": s.ID, "status": s.Status, "running": s.RunningWorkers,
				"terminated": s.TerminatedWorkers, "total": s.TotalWorkers,
				"backups": s.BackupWorkers, "input_records": s.InputRecords,
				"percentage": s.FinishedPercentage,
			})
		}
		out["stages"] = listed
		return nil
	}()
	if err != nil {
		return nil, err
	}
	if err := waitTerminated(ins); err != nil {
		return nil, err
	}
	stopped := o.odps.Instance(ins.Id())
	if err := stopped.Load(); err != nil {
		return nil, err
	}
	out["status_stopped"] = stopped.Status().String()
	out["end_time_stopped"] = millis(stopped.EndTime())
	status, err := taskStatus(stopped)
	if err != nil {
		return nil, err
	}
	out["task_stopped"] = status.String()
	out["wait_error"] = errorData(stopped.WaitForSuccess())
	return out, nil
}

func (o *oracle) stopTerminated() (data, error) {
	ins, err := o.sql("select 1", 0, 0)
	if err != nil {
		return nil, err
	}
	if err := success(ins); err != nil {
		return nil, err
	}
	return data{
		"error":         errorData(o.odps.Instance(ins.Id()).Terminate()),
		"missing_error": errorData(o.odps.Instance(missingID).Terminate()),
	}, nil
}

func (o *oracle) listed(filters ...odps.InsFilterFunc) ([]string, error) {
	ids := []string{}
	err := o.odps.Instances().List(func(ins *odps.Instance) { ids = append(ids, ins.Id()) }, filters...)
	return ids, err
}

func (o *oracle) listStatusFilter() (data, error) {
	done, err := o.sql("select 1", 0, 0)
	if err != nil {
		return nil, err
	}
	if err := success(done); err != nil {
		return nil, err
	}
	slow, err := o.sql("select 2", 60, 0)
	if err != nil {
		return nil, err
	}
	defer o.stopAll([]*odps.Instance{slow})
	running, err := o.listed(odps.InstanceFilter.Status(odps.InstanceRunning))
	if err != nil {
		return nil, err
	}
	terminated, err := o.listed(odps.InstanceFilter.Status(odps.InstanceTerminated))
	if err != nil {
		return nil, err
	}
	mine, err := o.listed(odps.InstanceFilter.OnlyOwner())
	if err != nil {
		return nil, err
	}
	return data{
		"done": done.Id(), "running": slow.Id(), "listed_running": running,
		"listed_terminated": terminated, "listed_all": mine,
	}, nil
}

func (o *oracle) exists() (data, error) {
	ins, err := o.sql("select 1", 0, 0)
	if err != nil {
		return nil, err
	}
	existing := o.odps.Instance(ins.Id()).Load()
	missing := o.odps.Instance(missingID).Load()
	if err := success(ins); err != nil {
		return nil, err
	}
	return data{
		"existing": existing == nil, "missing": missing == nil,
		"missing_error": errorData(missing),
	}, nil
}

func (o *oracle) logview() (data, error) {
	ins, err := o.sql("select 1", 0, 0)
	if err != nil {
		return nil, err
	}
	if err := success(ins); err != nil {
		return nil, err
	}
	url, err := o.odps.LogView().GenerateLogView(ins, 1)
	if err != nil {
		return nil, err
	}
	return data{"id": ins.Id(), "url": url}, nil
}

func (o *oracle) failedSQL() (data, error) {
	ins, err := o.sql("selec 1 from pyodps_iris", 0, 0)
	if err != nil {
		return nil, err
	}
	if err := waitTerminated(ins); err != nil {
		return nil, err
	}
	waitErr := ins.WaitForSuccess()
	tasks, err := tasksData(ins)
	if err != nil {
		return nil, err
	}
	result, err := firstResult(ins)
	if err != nil {
		return nil, err
	}
	return data{"error": errorData(waitErr), "tasks": tasks, "result": result}, nil
}

// -- scenarios: the calls beyond the seed ---------------------------------------------------

func (o *oracle) summaryAndCost() (data, error) {
	ins, err := o.sql("select name, count(*) from pyodps_iris group by name", 0.2, 0)
	if err != nil {
		return nil, err
	}
	if err := success(ins); err != nil {
		return nil, err
	}
	summary, err := ins.GetTaskSummary(taskName)
	if err != nil {
		return nil, err
	}
	_, unknownErr := ins.GetTaskSummary("NoSuchTask")
	return data{
		"id": ins.Id(), "json": summary.JsonSummary, "text": summary.Summary,
		"unknown_task_error": errorData(unknownErr),
	}, nil
}

func (o *oracle) detailAndWorkers() (data, error) {
	ins, err := o.sql(
		"select a.name, count(*) from pyodps_iris a join pyodps_iris b on a.name = b.name group by a.name",
		0, 0)
	if err != nil {
		return nil, err
	}
	if err := success(ins); err != nil {
		return nil, err
	}
	detail, err := ins.GetTaskDetail(taskName)
	if err != nil {
		return nil, err
	}
	stages, err := ins.GetTaskProgress(taskName)
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, s := range stages {
		names = append(names, s.ID)
	}
	return data{"id": ins.Id(), "detail": string(detail), "stages": names}, nil
}

func (o *oracle) cached(ins *odps.Instance) (any, error) {
	text, err := ins.GetCachedInfo()
	if err != nil {
		return nil, err
	}
	return parseJSON(text)
}

func (o *oracle) queueing() (data, error) {
	var started []*odps.Instance
	defer func() { o.stopAll(started) }()
	out := data{}
	var blockers []*odps.Instance
	for i := 0; i < o.slots; i++ {
		blocker, err := o.sql(fmt.Sprintf("select %d", i), 120, 9)
		if err != nil {
			return nil, err
		}
		started = append(started, blocker)
		blockers = append(blockers, blocker)
	}
	for _, blocker := range blockers {
		if err := waitTask(blocker, odps.TaskRunning); err != nil {
			return nil, err
		}
	}
	named := map[string]*odps.Instance{}
	for _, entry := range []struct {
		name     string
		priority int
	}{{"low", 7}, {"mid", 5}, {"high", 1}} {
		ins, err := o.sql(fmt.Sprintf("select '%s'", entry.name), 120, entry.priority)
		if err != nil {
			return nil, err
		}
		started = append(started, ins)
		named[entry.name] = ins
	}
	out["ids"] = []string{named["low"].Id(), named["mid"].Id(), named["high"].Id()}
	snapshot := func() (data, error) {
		shot := data{}
		for name, ins := range named {
			info, err := o.cached(ins)
			if err != nil {
				return nil, err
			}
			shot[name] = info
		}
		return shot, nil
	}
	before, err := snapshot()
	if err != nil {
		return nil, err
	}
	out["before"] = before
	blocker, err := o.cached(blockers[0])
	if err != nil {
		return nil, err
	}
	out["blocker"] = blocker
	pages, err := o.odps.Instances().ListInstancesQueued()
	if err != nil {
		return nil, err
	}
	var listed []any
	for _, page := range pages {
		items, err := parseJSON(page)
		if err != nil {
			return nil, err
		}
		if list, ok := items.([]any); ok {
			listed = append(listed, list...)
		}
	}
	out["listed"] = listed
	if err := blockers[0].Terminate(); err != nil {
		return nil, err
	}
	if err := waitTask(named["high"], odps.TaskRunning); err != nil {
		return nil, err
	}
	after, err := snapshot()
	if err != nil {
		return nil, err
	}
	out["after"] = after
	if err := named["low"].Terminate(); err != nil {
		return nil, err
	}
	if err := waitTerminated(named["low"]); err != nil {
		return nil, err
	}
	terminated, err := o.cached(named["low"])
	if err != nil {
		return nil, err
	}
	out["terminated"] = terminated
	return out, nil
}

func (o *oracle) submitOptions() (data, error) {
	task := odps.NewSqlTask("OracleTask", "select 42 as answer;", nil)
	opts := options.NewCreateInstanceOptions(
		options.WithPriority(3), options.WithJobName("oracle_job"),
		options.WithUniqueIdentifyID("oracle-guid-1"))
	ins, err := o.odps.Instances().CreateTask(o.project, &task, opts)
	if err != nil {
		return nil, err
	}
	if err := success(ins); err != nil {
		return nil, err
	}
	result, err := firstResult(ins)
	if err != nil {
		return nil, err
	}
	_, tooHigh := o.odps.Instances().CreateTaskWithPriority(o.project, &task, 10)
	return data{"id": ins.Id(), "result": result, "priority_10_error": errorData(tooHigh)}, nil
}

func (o *oracle) sqlCost() (data, error) {
	queries := []string{
		"select * from pyodps_iris",
		"select a.name, count(*) from pyodps_iris a join pyodps_iris b on a.name = b.name" +
			" group by a.name order by a.name",
	}
	var costs []data
	for _, query := range queries {
		task := odps.NewSQLCostTask("AnonymousSQLCostTask", query, nil)
		ins, err := o.odps.Instances().CreateTask(o.project, &task)
		if err != nil {
			return nil, err
		}
		if err := success(ins); err != nil {
			return nil, err
		}
		result, err := firstResult(ins)
		if err != nil {
			return nil, err
		}
		tasks, err := tasksData(ins)
		if err != nil {
			return nil, err
		}
		costs = append(costs, data{"id": ins.Id(), "result": result, "tasks": tasks})
	}
	return data{"costs": costs}, nil
}
