package mcgw

// Tests of ReadInstanceResult: every value kind decoded exactly (hand-built messages), resuming
// at the next row after a stream that fails with UNAVAILABLE, ends early or skips a row (a
// scripted server), and, against a live gateway, a read past 10,000 rows with projection,
// offset and limit.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

func i64(v int64) *gatewayv1.ResultValue {
	return &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_Int64Value{Int64Value: v}}
}

func str(v string) *gatewayv1.ResultValue {
	return &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_StringValue{StringValue: v}}
}

func null() *gatewayv1.ResultValue {
	return &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_NullValue{NullValue: structpb.NullValue_NULL_VALUE}}
}

func TestResultValueDecodesEveryKindExactly(t *testing.T) {
	ts := time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.UTC)
	for _, tc := range []struct {
		name string
		in   *gatewayv1.ResultValue
		want any
	}{
		{"null", null(), nil},
		{"unset kind is null", &gatewayv1.ResultValue{}, nil},
		{"int64 max", i64(math.MaxInt64), int64(math.MaxInt64)},
		{"int64 min", i64(math.MinInt64), int64(math.MinInt64)},
		{"double", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_DoubleValue{DoubleValue: 0.1}}, 0.1},
		{"decimal", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_DecimalValue{DecimalValue: "-12.345000000000000000"}}, Decimal("-12.345000000000000000")},
		{"string", str("héllo"), "héllo"},
		{"bytes", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_BytesValue{BytesValue: []byte{0, 0xff, 'a'}}}, []byte{0, 0xff, 'a'}},
		{"bool", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_BoolValue{BoolValue: true}}, true},
		{"date", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_DateValue{DateValue: "2024-02-29"}}, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"timestamp with nanoseconds", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_TimestampValue{TimestampValue: timestamppb.New(ts)}}, ts},
		{"timestamp before 1970", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_TimestampValue{TimestampValue: &timestamppb.Timestamp{Seconds: -1, Nanos: 5}}}, time.Unix(-1, 5).UTC()},
		{"array", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_ArrayValue{ArrayValue: &gatewayv1.ResultArray{Values: []*gatewayv1.ResultValue{i64(1), null(), i64(3)}}}}, []any{int64(1), nil, int64(3)}},
		{"map", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_MapValue{MapValue: &gatewayv1.ResultMap{Entries: []*gatewayv1.ResultMap_Entry{
			{Key: str("a"), Value: i64(1)}, {Key: str("b"), Value: null()},
		}}}}, map[any]any{"a": int64(1), "b": nil}},
		{"struct", &gatewayv1.ResultValue{Kind: &gatewayv1.ResultValue_StructValue{StructValue: &gatewayv1.ResultArray{Values: []*gatewayv1.ResultValue{
			i64(7), str("x"), {Kind: &gatewayv1.ResultValue_ArrayValue{ArrayValue: &gatewayv1.ResultArray{Values: []*gatewayv1.ResultValue{str("y")}}}},
		}}}}, []any{int64(7), "x", []any{"y"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ResultValue(tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ResultValue = %#v, want %#v", got, tc.want)
			}
			if tm, ok := got.(time.Time); ok && tm.Location() != time.UTC {
				t.Errorf("time %v is not in UTC", tm)
			}
		})
	}
	if r, ok := Decimal("-12.345000000000000000").Rat(); !ok || r.Cmp(big.NewRat(-12345, 1000)) != 0 {
		t.Errorf("Decimal.Rat = %v, %v; want -12345/1000", r, ok)
	}
}

func TestRowGettersByName(t *testing.T) {
	idx := newColumnIndex([]*gatewayv1.ResultColumn{
		{Name: "id", Type: "bigint"}, {Name: "label", Type: "string"}, {Name: "d", Type: "decimal(10,2)"},
		{Name: "b", Type: "binary"}, {Name: "ok", Type: "boolean"}, {Name: "x", Type: "double"}, {Name: "at", Type: "timestamp"},
	})
	at := time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)
	row := idx.row(&gatewayv1.ResultRow{Values: []*gatewayv1.ResultValue{
		i64(42), null(),
		{Kind: &gatewayv1.ResultValue_DecimalValue{DecimalValue: "1.50"}},
		{Kind: &gatewayv1.ResultValue_BytesValue{BytesValue: []byte("raw")}},
		{Kind: &gatewayv1.ResultValue_BoolValue{BoolValue: true}},
		{Kind: &gatewayv1.ResultValue_DoubleValue{DoubleValue: 2.5}},
		{Kind: &gatewayv1.ResultValue_TimestampValue{TimestampValue: timestamppb.New(at)}},
	}})
	if row.Int64("id") != 42 || row.IsNull("id") || !row.IsNull("label") || row.String("label") != "" {
		t.Errorf("id/label = %v, %q (null %v)", row.Int64("id"), row.String("label"), row.IsNull("label"))
	}
	if row.Decimal("d") != "1.50" || !bytes.Equal(row.Bytes("b"), []byte("raw")) || !row.Bool("ok") || row.Float64("x") != 2.5 || !row.Time("at").Equal(at) {
		t.Errorf("getters = %v %q %v %v %v", row.Decimal("d"), row.Bytes("b"), row.Bool("ok"), row.Float64("x"), row.Time("at"))
	}
	if row.Index("label") != 1 || row.Index("nope") != -1 || len(row.Columns()) != 7 {
		t.Errorf("Index/Columns wrong: %d %d %d", row.Index("label"), row.Index("nope"), len(row.Columns()))
	}
	for _, bad := range []func(){func() { row.Value("nope") }, func() { row.String("id") }} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("an unknown column or a getter of the wrong type did not panic")
				}
			}()
			bad()
		}()
	}
}

// breakMode is how a scripted ReadInstanceResult stream ends after its batches.
type breakMode int

const (
	complete    breakMode = iota // every selected row, then the end of the stream
	unavailable                  // UNAVAILABLE
	endEarly                     // the end of the stream, rows missing
	skipRow                      // a batch that starts one row too late
)

// resulting serves a result of total rows (id = the row's index, label = "row-<id>") in
// batches of batchRows; call n sends batches[n] batches and then ends as modes[n] says
// (complete once the script runs out, unless failRest).
type resulting struct {
	gatewayv1.UnimplementedInstanceServiceServer
	total, batchRows int64
	batches          []int
	modes            []breakMode
	failRest         bool // calls past the script fail with UNAVAILABLE before any batch
	mu               sync.Mutex
	requests         []*gatewayv1.ReadInstanceResultRequest
}

func (s *resulting) ReadInstanceResult(req *gatewayv1.ReadInstanceResultRequest, stream grpc.ServerStreamingServer[gatewayv1.ReadInstanceResultResponse]) error {
	s.mu.Lock()
	s.requests = append(s.requests, req)
	n := len(s.requests) - 1
	s.mu.Unlock()
	mode, batches := complete, -1
	if n < len(s.modes) {
		mode, batches = s.modes[n], s.batches[n]
	} else if s.failRest {
		mode, batches = unavailable, 0
	}
	offset := req.GetOffset()
	end := s.total
	if req.GetLimit() > 0 {
		end = min(end, offset+req.GetLimit())
	}
	header := &gatewayv1.ReadInstanceResultResponse{
		Schema: &gatewayv1.ResultSchema{Columns: []*gatewayv1.ResultColumn{
			{Name: "id", Type: "bigint"}, {Name: "label", Type: "string"},
		}},
		TotalRowCount: s.total, SelectedRowCount: end - offset, RowOffset: offset,
	}
	if err := stream.Send(header); err != nil {
		return err
	}
	for sent := 0; offset < end && sent != batches; sent++ {
		count := min(s.batchRows, end-offset)
		batch := &gatewayv1.ResultRowBatch{}
		for id := offset; id < offset+count; id++ {
			batch.Rows = append(batch.Rows, &gatewayv1.ResultRow{Values: []*gatewayv1.ResultValue{i64(id), str(fmt.Sprintf("row-%d", id))}})
		}
		msg := &gatewayv1.ReadInstanceResultResponse{RowOffset: offset, RowCount: count, Rows: &gatewayv1.ReadInstanceResultResponse_RowBatch{RowBatch: batch}}
		if err := stream.Send(msg); err != nil {
			return err
		}
		offset += count
	}
	switch mode {
	case unavailable:
		return status.Error(codes.Unavailable, "gateway restarting")
	case skipRow:
		msg := &gatewayv1.ReadInstanceResultResponse{RowOffset: offset + 1, RowCount: 1, Rows: &gatewayv1.ReadInstanceResultResponse_RowBatch{RowBatch: &gatewayv1.ResultRowBatch{
			Rows: []*gatewayv1.ResultRow{{Values: []*gatewayv1.ResultValue{i64(offset + 1), str("skipped")}}},
		}}}
		return stream.Send(msg)
	}
	return nil
}

func readAllIDs(t *testing.T, rows *Rows) []int64 {
	t.Helper()
	var ids []int64
	for rows.Next() {
		row := rows.Row()
		id := row.Int64("id")
		if row.String("label") != fmt.Sprintf("row-%d", id) {
			t.Fatalf("row %d has label %q", id, row.String("label"))
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("rows.Err() = %v", err)
	}
	return ids
}

func span(from, to int64) []int64 {
	var ids []int64
	for id := from; id < to; id++ {
		ids = append(ids, id)
	}
	return ids
}

func TestReadResumesAtTheNextRow(t *testing.T) {
	for _, tc := range []struct {
		name string
		mode breakMode
	}{{"after UNAVAILABLE", unavailable}, {"after a stream that ended early", endEarly}, {"after a skipped row", skipRow}} {
		t.Run(tc.name, func(t *testing.T) {
			fastBackoff(t)
			var pauses []error
			pauseHook = func(err error) { pauses = append(pauses, err) }
			t.Cleanup(func() { pauseHook = nil })
			// Rows 5..24 of 30 (offset 5, limit 20): the first stream sends two batches of 3
			// rows and breaks; the second breaks before any batch; the third completes.
			s := &resulting{total: 30, batchRows: 3, batches: []int{2, 0}, modes: []breakMode{tc.mode, tc.mode}}
			c, err := Dial(serve(t, s), WithEnvironment(nil))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			rows, err := c.ReadInstanceResult(ctx, "p", "i1", ReadOptions{Columns: []string{"id", "label"}, Offset: 5, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			if rows.Count() != 20 || rows.TotalCount() != 30 || !reflect.DeepEqual(rows.Schema(), []Column{{"id", "bigint"}, {"label", "string"}}) {
				t.Errorf("Count %d TotalCount %d Schema %v", rows.Count(), rows.TotalCount(), rows.Schema())
			}
			if got := readAllIDs(t, rows); !reflect.DeepEqual(got, span(5, 25)) {
				t.Fatalf("ids = %v, want 5..24 once each", got)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if len(s.requests) != 3 {
				t.Fatalf("%d calls, want 3", len(s.requests))
			}
			for i, want := range [][2]int64{{5, 20}, {11, 14}, {11, 14}} {
				r := s.requests[i]
				if r.GetOffset() != want[0] || r.GetLimit() != want[1] || r.GetProject() != "p" || r.GetInstanceId() != "i1" || !reflect.DeepEqual(r.GetColumns(), []string{"id", "label"}) {
					t.Errorf("call %d: offset %d limit %d (%v), want offset %d limit %d", i, r.GetOffset(), r.GetLimit(), r, want[0], want[1])
				}
			}
			if len(pauses) != 2 {
				t.Errorf("%d reconnect pauses, want 2: %v", len(pauses), pauses)
			}
		})
	}
}

func TestReadEndsOnOtherErrorsAndGivesUpWithTheContext(t *testing.T) {
	fastBackoff(t)
	c := dialFlaky(t, &flaky{})
	// flaky does not implement ReadInstanceResult: UNIMPLEMENTED ends the read at once.
	if _, err := c.ReadInstanceResult(context.Background(), "", "i1", ReadOptions{}); status.Code(err) != codes.Unimplemented {
		t.Fatalf("ReadInstanceResult error = %v, want UNIMPLEMENTED", err)
	}
	s := &resulting{total: 10, batchRows: 2, batches: []int{1}, modes: []breakMode{unavailable}, failRest: true}
	c2, err := Dial(serve(t, s), WithEnvironment(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c2.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rows, err := c2.ReadInstanceResult(ctx, "", "i1", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	err = rows.Err()
	if n != 2 || status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("read %d rows, error %v; want 2 rows then DEADLINE_EXCEEDED", n, err)
	}
	var gaveUp *GaveUpError
	if errors.As(err, &gaveUp) && status.Code(gaveUp.Last) != codes.Unavailable {
		t.Errorf("last error %v, want UNAVAILABLE", gaveUp.Last)
	}
}

func TestRowsAllAndCloseEndTheStream(t *testing.T) {
	s := &resulting{total: 100, batchRows: 10}
	c, err := Dial(serve(t, s), WithEnvironment(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	rows, err := c.ReadInstanceResult(context.Background(), "", "i1", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for row, err := range rows.All() {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, row.Int64("id"))
		if len(ids) == 15 {
			break
		}
	}
	if !reflect.DeepEqual(ids, span(0, 15)) || rows.Next() || rows.Err() != nil {
		t.Fatalf("All then break: ids %v, Next after close %v, Err %v", ids, rows.Next(), rows.Err())
	}
}

// End to end (tests/polyglot sets MCGW_TARGET): a 25,000-row select on the emulator, past the
// 10,000 rows of GetTaskResult, then projection, offset and limit.
func TestE2EReadInstanceResult(t *testing.T) {
	c, ctx := dialE2E(t)
	const total = 25000
	inst, err := c.SubmitSQL(ctx, project(), &SQLJob{Query: fmt.Sprintf("select range as id, 'row-' || range as label from range(%d) order by id", total)})
	if err != nil {
		t.Fatalf("SubmitSQL: %v", err)
	}
	if final, err := c.WaitUntilDone(ctx, project(), inst.GetInstanceId()); err != nil || !final.GetSuccessful() {
		t.Fatalf("WaitUntilDone = %v, %v", final, err)
	}
	rows, err := c.ReadInstanceResult(ctx, project(), inst.GetInstanceId(), ReadOptions{})
	if err != nil {
		t.Fatalf("ReadInstanceResult: %v", err)
	}
	if rows.Count() != total || rows.TotalCount() != total || !reflect.DeepEqual(rows.Schema(), []Column{{"id", "bigint"}, {"label", "string"}}) {
		t.Errorf("Count %d TotalCount %d Schema %v", rows.Count(), rows.TotalCount(), rows.Schema())
	}
	ids := readAllIDs(t, rows)
	if !reflect.DeepEqual(ids, span(0, total)) {
		t.Fatalf("read %d rows, want ids 0..%d in order", len(ids), total-1)
	}
	rows, err = c.ReadInstanceResult(ctx, project(), inst.GetInstanceId(), ReadOptions{Columns: []string{"label", "id"}, Offset: 12345, Limit: 7})
	if err != nil {
		t.Fatalf("ReadInstanceResult(projection): %v", err)
	}
	defer rows.Close()
	if rows.Count() != 7 || rows.TotalCount() != total || rows.Schema()[0].Name != "label" {
		t.Errorf("projected read: Count %d TotalCount %d Schema %v", rows.Count(), rows.TotalCount(), rows.Schema())
	}
	var got [][]any
	for rows.Next() {
		got = append(got, rows.Row().Values)
	}
	want := [][]any{}
	for id := int64(12345); id < 12352; id++ {
		want = append(want, []any{fmt.Sprintf("row-%d", id), id})
	}
	if rows.Err() != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("projected rows %v (err %v), want %v", got, rows.Err(), want)
	}
	_, err = c.ReadInstanceResult(ctx, project(), inst.GetInstanceId(), ReadOptions{Columns: []string{"nope"}})
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("unknown column: error %v, want INVALID_ARGUMENT", err)
	}
}
