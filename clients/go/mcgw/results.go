package mcgw

// ReadInstanceResult: the rows of a SELECT's result through the instance tunnel, typed and
// past GetTaskResult's 10,000-row cap, resumed at the next row after UNAVAILABLE.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/big"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	gatewayv1 "github.com/mcgateway/mcgateway/clients/go/gen/maxcompute/gateway/v1"
)

// ReadOptions selects what ReadInstanceResult reads. The zero value reads every column and
// every row of the instance's SQL task.
type ReadOptions struct {
	// TaskName is the task whose result to read; empty means the instance's SQL task.
	TaskName string
	// Columns are the columns to read, by name and in this order; empty reads all of them.
	Columns []string
	// Offset is the index of the first row to read (0 is the result's first row).
	Offset int64
	// Limit is the most rows to read; 0 reads to the end.
	Limit int64
}

// Column is one column of a result: its name and MaxCompute type as MaxCompute writes it, in
// lower case (bigint, double, decimal(38,18), string, array<bigint>, ...).
type Column struct {
	Name string
	Type string
}

// Decimal is the exact text of a MaxCompute decimal, for example "-12.345000000000000000". It
// is kept as text so no digit is lost; Rat gives it as a number.
type Decimal string

// String returns the decimal's text.
func (d Decimal) String() string { return string(d) }

// Rat returns the decimal as an exact rational number, or false when the text is not a number.
func (d Decimal) Rat() (*big.Rat, bool) { return new(big.Rat).SetString(string(d)) }

// ErrResultStreamBroken marks a ReadInstanceResult stream that ended before its last row or
// sent a batch that does not start at the next row. ReadInstanceResult resumes after it like
// after UNAVAILABLE; it is the Last error of a *GaveUpError when the context ends meanwhile.
var ErrResultStreamBroken = errors.New("mcgw: result stream broken")

// Row is one row of a result. Values holds one Go value per column, in the schema's order:
// nil for NULL, int64 (bigint, int, smallint, tinyint), float64 (double, float), Decimal
// (decimal), string (string, varchar, char), []byte (binary, and a string that is not UTF-8),
// bool, time.Time for a date (midnight UTC) and for datetime and timestamp (UTC, with
// nanoseconds), []any for an array, map[any]any for a map (a binary key becomes a string, as
// []byte cannot be a map key) and []any of the field values for a struct.
//
// The typed getters take a column name; they panic when there is no such column or its value
// has another Go type, like an index out of range. A NULL gives the zero value: ask IsNull.
type Row struct {
	Values  []any
	columns *columnIndex
}

type columnIndex struct {
	columns []Column
	byName  map[string]int
}

// Columns returns the row's columns.
func (r *Row) Columns() []Column { return r.columns.columns }

// Index returns the position of the named column, or -1.
func (r *Row) Index(name string) int {
	if i, ok := r.columns.byName[name]; ok {
		return i
	}
	return -1
}

// Value returns the named column's value (see Row), or panics when there is no such column.
func (r *Row) Value(name string) any {
	i := r.Index(name)
	if i < 0 {
		names := make([]string, len(r.columns.columns))
		for j, c := range r.columns.columns {
			names[j] = c.Name
		}
		panic(fmt.Sprintf("mcgw: no column %q; columns: %s", name, strings.Join(names, ", ")))
	}
	return r.Values[i]
}

// IsNull reports whether the named column is NULL.
func (r *Row) IsNull(name string) bool { return r.Value(name) == nil }

// Int64 returns a bigint (int, smallint, tinyint) column's value; 0 for NULL.
func (r *Row) Int64(name string) int64 { return typed[int64](r, name) }

// Float64 returns a double (float) column's value; 0 for NULL.
func (r *Row) Float64(name string) float64 { return typed[float64](r, name) }

// String returns a string (varchar, char) column's value; "" for NULL.
func (r *Row) String(name string) string { return typed[string](r, name) }

// Bytes returns a binary column's value; nil for NULL.
func (r *Row) Bytes(name string) []byte { return typed[[]byte](r, name) }

// Bool returns a boolean column's value; false for NULL.
func (r *Row) Bool(name string) bool { return typed[bool](r, name) }

// Decimal returns a decimal column's exact text; "" for NULL.
func (r *Row) Decimal(name string) Decimal { return typed[Decimal](r, name) }

// Time returns a date, datetime or timestamp column's value (UTC; nanoseconds for a
// timestamp); the zero time for NULL.
func (r *Row) Time(name string) time.Time { return typed[time.Time](r, name) }

func typed[T any](r *Row, name string) T {
	v := r.Value(name)
	if v == nil {
		var zero T
		return zero
	}
	t, ok := v.(T)
	if !ok {
		var zero T
		panic(fmt.Sprintf("mcgw: column %q holds %T, not %T", name, v, zero))
	}
	return t
}

// Rows is an open ReadInstanceResult read: call Next until it returns false, then Err. Close
// ends an unfinished read (it is safe to call more than once, and Next calls it at the end).
//
//	rows, err := c.ReadInstanceResult(ctx, project, id, mcgw.ReadOptions{})
//	if err != nil { ... }
//	defer rows.Close()
//	for rows.Next() {
//		row := rows.Row()
//		fmt.Println(row.Int64("id"), row.String("label"))
//	}
//	if err := rows.Err(); err != nil { ... }
type Rows struct {
	c       *Client
	ctx     context.Context
	req     *gatewayv1.ReadInstanceResultRequest
	header  *gatewayv1.ReadInstanceResultResponse
	columns *columnIndex

	position, end int64 // the next row to take, and the end of the selected rows
	stream        gatewayv1.InstanceService_ReadInstanceResultClient
	cancel        context.CancelFunc
	batch         []*gatewayv1.ResultRow
	row           *Row
	err           error
	reconnect     reconnector
	progressed    bool // the open stream delivered a batch: the backoff starts afresh
	done          bool
}

// ReadInstanceResult opens a read of an instance's result rows (the ReadInstanceResult RPC)
// and returns once the first stream has sent the schema and row counts. The rows follow
// through Rows.Next, typed (see Row). When a stream fails with UNAVAILABLE (a gateway restart,
// its maximum stream age), ends before its last row or skips a row, the read is resumed with a
// new call at the next row, after the jittered backoff of WatchUntilDone: no row is lost or
// repeated. Resuming is bounded only by ctx; when it ends, the error is a *GaveUpError.
// Other errors end the read: NOT_FOUND for a missing instance, INVALID_ARGUMENT for an
// unknown column or a negative offset, FAILED_PRECONDITION for an instance that is running,
// failed, or has no table result.
//
// Arrow record batches (format ARROW) are not decoded here: this package depends on gRPC and
// protobuf only. Call c.Service.ReadInstanceResult with that format and read
// ResultSchema.ArrowSchema followed by each ArrowRecordBatch with an Arrow IPC reader.
func (c *Client) ReadInstanceResult(ctx context.Context, project, id string, opts ReadOptions) (*Rows, error) {
	rows := &Rows{c: c, ctx: ctx, req: &gatewayv1.ReadInstanceResultRequest{
		Project: project, InstanceId: id, TaskName: opts.TaskName,
		Columns: opts.Columns, Offset: opts.Offset, Limit: opts.Limit,
		Format: gatewayv1.ReadInstanceResultRequest_ROWS,
	}}
	for {
		err := rows.open()
		if err == nil {
			return rows, nil
		}
		if !rows.retry(err) {
			return nil, rows.err
		}
	}
}

// Schema returns the columns of the rows, in order.
func (r *Rows) Schema() []Column { return r.columns.columns }

// Count returns the number of rows this read yields (after Offset and Limit).
func (r *Rows) Count() int64 { return r.header.GetSelectedRowCount() }

// TotalCount returns the number of rows of the whole result.
func (r *Rows) TotalCount() int64 { return r.header.GetTotalRowCount() }

// Next advances to the next row, resuming the stream when needed. It returns false at the
// end of the rows or on an error (see Err).
func (r *Rows) Next() bool {
	for {
		if r.done {
			return false
		}
		if len(r.batch) > 0 {
			r.row = r.columns.row(r.batch[0])
			r.batch = r.batch[1:]
			return true
		}
		if r.position >= r.end {
			r.finish(nil)
			return false
		}
		if r.stream == nil {
			if err := r.open(); err != nil {
				if !r.retry(err) {
					return false
				}
			}
			continue
		}
		if err := r.receive(); err != nil && !r.retry(err) {
			return false
		}
	}
}

// retry closes the broken stream and pauses before the next one (see reconnector.retry); it
// returns false, ending the read, when err is not resumable or the context ended.
func (r *Rows) retry(err error) bool {
	r.closeStream()
	if err := r.reconnect.retry(r.ctx, err, r.progressed); err != nil {
		r.finish(err)
		return false
	}
	r.progressed = false
	return true
}

// Row returns the row Next advanced to.
func (r *Rows) Row() *Row { return r.row }

// Err returns the error that ended the read, or nil when every row was read (or Close was
// called first).
func (r *Rows) Err() error { return r.err }

// Close ends the read, cancelling an unfinished stream at the gateway.
func (r *Rows) Close() error {
	r.finish(nil)
	return nil
}

// All yields every row (and, last, an error that ended the read), then closes the read.
func (r *Rows) All() iter.Seq2[*Row, error] {
	return func(yield func(*Row, error) bool) {
		defer r.Close()
		for r.Next() {
			if !yield(r.row, nil) {
				return
			}
		}
		if r.err != nil {
			yield(nil, r.err)
		}
	}
}

func (r *Rows) finish(err error) {
	if r.done {
		return
	}
	r.done, r.err, r.batch = true, err, nil
	r.closeStream()
}

func (r *Rows) closeStream() {
	if r.cancel != nil {
		r.cancel()
	}
	r.stream, r.cancel = nil, nil
}

// open starts a stream from the next row and takes its first message: the header, which the
// first stream keeps and a resumed one must match.
func (r *Rows) open() error {
	req := r.req
	if r.header != nil {
		req = proto.Clone(r.req).(*gatewayv1.ReadInstanceResultRequest)
		req.Offset, req.Limit = r.position, r.end-r.position
	}
	ctx, cancel := context.WithCancel(r.ctx)
	stream, err := r.c.Service.ReadInstanceResult(ctx, req)
	if err != nil {
		cancel()
		return err
	}
	r.stream, r.cancel = stream, cancel
	first, err := stream.Recv()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: no header", ErrResultStreamBroken)
	}
	if err != nil {
		return err
	}
	if r.header == nil {
		r.header = first
		r.columns = newColumnIndex(first.GetSchema().GetColumns())
		r.position = first.GetRowOffset()
		r.end = first.GetRowOffset() + first.GetSelectedRowCount()
		return nil
	}
	if first.GetRowOffset() != r.position {
		return fmt.Errorf("%w: resumed at row %d, not %d", ErrResultStreamBroken, first.GetRowOffset(), r.position)
	}
	return nil
}

// receive takes the next batch of the open stream.
func (r *Rows) receive() error {
	msg, err := r.stream.Recv()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: ended at row %d of %d", ErrResultStreamBroken, r.position, r.end)
	}
	if err != nil {
		return err
	}
	if msg.GetRowOffset() != r.position {
		return fmt.Errorf("%w: batch at row %d, expected %d", ErrResultStreamBroken, msg.GetRowOffset(), r.position)
	}
	rows := msg.GetRowBatch().GetRows()
	if int64(len(rows)) != msg.GetRowCount() {
		return fmt.Errorf("%w: batch of %d rows says row_count %d", ErrResultStreamBroken, len(rows), msg.GetRowCount())
	}
	r.position += msg.GetRowCount()
	r.batch, r.progressed = rows, true
	return nil
}

func newColumnIndex(cols []*gatewayv1.ResultColumn) *columnIndex {
	idx := &columnIndex{columns: make([]Column, len(cols)), byName: make(map[string]int, len(cols))}
	for i, c := range cols {
		idx.columns[i] = Column{Name: c.GetName(), Type: c.GetType()}
		if _, dup := idx.byName[c.GetName()]; !dup {
			idx.byName[c.GetName()] = i
		}
	}
	return idx
}

func (idx *columnIndex) row(pb *gatewayv1.ResultRow) *Row {
	values := make([]any, len(pb.GetValues()))
	for i, v := range pb.GetValues() {
		values[i] = ResultValue(v)
	}
	return &Row{Values: values, columns: idx}
}

// ResultValue converts one typed value of a ReadInstanceResult batch to its Go value (see Row).
func ResultValue(v *gatewayv1.ResultValue) any {
	switch k := v.GetKind().(type) {
	case nil, *gatewayv1.ResultValue_NullValue:
		return nil
	case *gatewayv1.ResultValue_Int64Value:
		return k.Int64Value
	case *gatewayv1.ResultValue_DoubleValue:
		return k.DoubleValue
	case *gatewayv1.ResultValue_DecimalValue:
		return Decimal(k.DecimalValue)
	case *gatewayv1.ResultValue_StringValue:
		return k.StringValue
	case *gatewayv1.ResultValue_BytesValue:
		return k.BytesValue
	case *gatewayv1.ResultValue_BoolValue:
		return k.BoolValue
	case *gatewayv1.ResultValue_DateValue:
		d, err := time.Parse(time.DateOnly, k.DateValue)
		if err != nil {
			// A date Go cannot parse (a year past 9999) stays its text rather than being lost.
			return k.DateValue
		}
		return d
	case *gatewayv1.ResultValue_TimestampValue:
		return time.Unix(k.TimestampValue.GetSeconds(), int64(k.TimestampValue.GetNanos())).UTC()
	case *gatewayv1.ResultValue_ArrayValue:
		return values(k.ArrayValue.GetValues())
	case *gatewayv1.ResultValue_StructValue:
		return values(k.StructValue.GetValues())
	case *gatewayv1.ResultValue_MapValue:
		m := make(map[any]any, len(k.MapValue.GetEntries()))
		for _, e := range k.MapValue.GetEntries() {
			key := ResultValue(e.GetKey())
			if b, ok := key.([]byte); ok {
				key = string(b)
			}
			m[key] = ResultValue(e.GetValue())
		}
		return m
	}
	// A kind added by a newer gateway: the message itself, so nothing is silently dropped.
	return v
}

func values(vs []*gatewayv1.ResultValue) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = ResultValue(v)
	}
	return out
}
