// Which columns of the project's Task model an insert must give a value (NOT NULL, no default of any kind), read
// from SQLModel fields, SQLAlchemy 2.0 Mapped/mapped_column and classic Column declarations; and what the task
// routes do with each: fill it, take it from the request, or refuse to generate routes that would fail.
import { describe, expect, it } from "vitest";
import { modelColumnDetails, taskColumnsPlan, taskModelProblem } from "../../generators/lib/backend/task-columns.js";

const FILE = "backend/models.py";
const ROUTE_COLUMNS = ["id: int | None = Field(default=None, primary_key=True)", "title: str", "description: str | None = None", "completed: bool = False", "user_id: str = Field(index=True)"];
/** A SQLModel Task with the columns the routes use, then `extra`; its first extra field is on line 10. */
const sqlModelTask = (...extra: string[]) => ["from sqlmodel import Field, SQLModel", "", "", "class Task(SQLModel, table=True):", ...[...ROUTE_COLUMNS, ...extra].map((f) => `    ${f}`), ""].join("\n");
const plan = (text: string) => taskColumnsPlan(text, "Task", FILE);

describe("taskColumnsPlan on SQLModel fields", () => {
  it.each([
    ["priority: str", { name: "priority", type: "str", maxLength: null, foreignKey: null, line: 10 }],
    ["priority: str = Field(max_length=20)", { name: "priority", type: "str", maxLength: 20, foreignKey: null, line: 10 }],
    ["priority: str = Field(...)", { name: "priority", type: "str", maxLength: null, foreignKey: null, line: 10 }],
    ["priority: str = None", { name: "priority", type: "str", maxLength: null, foreignKey: null, line: 10 }], // NOT NULL, so None is no default
    ["priority: str = Field(default=None, nullable=False)", { name: "priority", type: "str", maxLength: null, foreignKey: null, line: 10 }],
    ["project_id: int = Field(foreign_key='projects.id')", { name: "project_id", type: "int", maxLength: null, foreignKey: "projects.id", line: 10 }],
    ["due: dt.date", { name: "due", type: "date", maxLength: null, foreignKey: null, line: 10 }],
    ["ref: uuid.UUID", { name: "ref", type: "UUID", maxLength: null, foreignKey: null, line: 10 }],
    ["weight: float", { name: "weight", type: "float", maxLength: null, foreignKey: null, line: 10 }],
    ["pinned: bool", { name: "pinned", type: "bool", maxLength: null, foreignKey: null, line: 10 }],
    ["remind_at: datetime.datetime", { name: "remind_at", type: "datetime", maxLength: null, foreignKey: null, line: 10 }],
    ["priority: Optional[str] = Field(nullable=False)", { name: "priority", type: "str", maxLength: null, foreignKey: null, line: 10 }],
  ])("%s is taken from the request", (field, column) => {
    expect(plan(sqlModelTask(field))).toMatchObject({ request: [column], fill: [], problem: null });
  });

  it.each([
    "priority: str = 'low'",
    "priority: str = Field(default='low')",
    "priority: str = Field('low', max_length=20)",
    "priority: Optional[str]",
    "priority: str | None = None",
    "project_id: int | None = Field(default=None, foreign_key='projects.id')",
    "status: Status = Status.open",
    "tags: list[str] = Field(sa_column=Column(JSON))",
    "stamp: datetime = Field(sa_column=Column(DateTime(timezone=True), server_default=func.now(), nullable=False))",
    "code: str = Field(sa_column_kwargs={'server_default': 'x'})",
    "token: str = Field(default_factory=lambda: uuid.uuid4().hex)",
    "project: Project = Relationship(back_populates='tasks')",
    "projects: list['Project'] = Relationship()",
    "counter: ClassVar[int] = 3",
    "model_config = ConfigDict(validate_assignment=True)",
  ])("%s needs nothing", (field) => {
    expect(plan(sqlModelTask(field))).toMatchObject({ request: [], fill: [], problem: null });
  });

  it("fills completed, the timestamps and another owner column itself, never from the request", () => {
    const text = sqlModelTask("created_at: datetime", "updated_at: datetime = Field(nullable=False)", "created_by: str").replace("completed: bool = False", "completed: bool");
    expect(plan(text)).toMatchObject({
      request: [],
      fill: [
        { name: "completed", value: "False" },
        { name: "created_at", value: "now" },
        { name: "updated_at", value: "now" },
        { name: "created_by", value: "user.id" },
      ],
      problem: null,
    });
  });

  it.each([
    ["id: str = Field(primary_key=True)", "str(uuid4())"],
    ["id: uuid.UUID = Field(primary_key=True)", "uuid4()"],
    ["id: Optional[uuid.UUID] = Field(default=None, primary_key=True)", "uuid4()"], // None is no key
  ])("makes a str or UUID primary key without a default (%s): nothing else would", (id, value) => {
    expect(plan(sqlModelTask().replace(ROUTE_COLUMNS[0], id))).toMatchObject({ request: [], fill: [{ name: "id", value }], problem: null });
  });

  it("leaves an int key to autoincrement, and stops at one that cannot, naming it", () => {
    expect(plan(sqlModelTask())).toMatchObject({ fill: [], problem: null });
    const manual = sqlModelTask().replace(ROUTE_COLUMNS[0], "id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))");
    expect(plan(manual).problem).toMatch(/^Task\.id \(backend\/models\.py:5\) is the primary key, without a default, of a type \(int\) the task routes cannot make a value of: give it a default/);
  });

  it("keeps the model's own limits on title and description, and stores \"\" for a NOT NULL description", () => {
    const text = sqlModelTask().replace("title: str", "title: str = Field(max_length=80)").replace("description: str | None = None", "description: str = Field(max_length=500)");
    expect(plan(text)).toMatchObject({ titleMaxLength: 80, descriptionMaxLength: 500, descriptionRequired: true, request: [] });
    expect(plan(sqlModelTask())).toMatchObject({ titleMaxLength: 200, descriptionMaxLength: 1000, descriptionRequired: false });
  });

  it("reads the fields of a base class in the same module (the SQLModel tutorial's TaskBase)", () => {
    const text = ["class TaskBase(SQLModel):", "    title: str", "    priority: str", "", "", "class Task(TaskBase, table=True):", "    id: int | None = Field(default=None, primary_key=True)", "    user_id: str"].join("\n");
    expect(plan(text).request).toEqual([{ name: "priority", type: "str", maxLength: null, foreignKey: null, line: 3 }]);
  });
});

describe("taskColumnsPlan on SQLAlchemy declarations", () => {
  const mapped = (...extra: string[]) =>
    [
      "class Task(Base):",
      '    __tablename__ = "tasks"',
      "    id: Mapped[int] = mapped_column(primary_key=True)",
      "    title: Mapped[str] = mapped_column(String(120))",
      "    description: Mapped[Optional[str]]",
      "    completed: Mapped[bool] = mapped_column(default=False)",
      "    user_id: Mapped[str] = mapped_column(String(255), index=True)",
      ...extra.map((line) => `    ${line}`),
    ].join("\n");

  it.each([
    ['project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))', { name: "project_id", type: "int", maxLength: null, foreignKey: "projects.id", line: 8 }],
    ['project_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)', { name: "project_id", type: "UUID", maxLength: null, foreignKey: "projects.id", line: 8 }],
    ["priority: Mapped[str] = mapped_column(String(10))", { name: "priority", type: "str", maxLength: 10, foreignKey: null, line: 8 }],
    ["priority: Mapped[str]", { name: "priority", type: "str", maxLength: null, foreignKey: null, line: 8 }],
    ["priority: Mapped[Optional[str]] = mapped_column(nullable=False)", { name: "priority", type: "str", maxLength: null, foreignKey: null, line: 8 }],
    ["level = Column(Integer, nullable=False)", { name: "level", type: "int", maxLength: null, foreignKey: null, line: 8 }],
    ["code = sa.Column(sa.String(length=8), nullable=False)", { name: "code", type: "str", maxLength: 8, foreignKey: null, line: 8 }],
    ['project_id = Column(Integer, ForeignKey("projects.id"), nullable=False)', { name: "project_id", type: "int", maxLength: null, foreignKey: "projects.id", line: 8 }],
    ["due = db.Column(db.Date, nullable=False)", { name: "due", type: "date", maxLength: null, foreignKey: null, line: 8 }],
    ["level = mapped_column(Integer, nullable=False)", { name: "level", type: "int", maxLength: null, foreignKey: null, line: 8 }],
  ])("%s is taken from the request", (line, column) => {
    expect(plan(mapped(line))).toMatchObject({ request: [column], problem: null, titleMaxLength: 120 });
  });

  it("takes a foreign key without a type of its own as the type of the column it references, in the same module", () => {
    const project = ["class Project(Base):", '    __tablename__ = "projects"', "    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)", "", ""].join("\n");
    const text = project + mapped('project_id = Column(ForeignKey("projects.id"), nullable=False)');
    expect(plan(text).request).toEqual([{ name: "project_id", type: "UUID", maxLength: null, foreignKey: "projects.id", line: 12 }]);
    expect(plan(mapped('project_id = Column(ForeignKey("elsewhere.id"), nullable=False)')).problem).toMatch(/Task\.project_id \(backend\/models\.py:8\).*its type \(unknown\)/);
  });

  it.each([
    "priority: Mapped[Optional[str]] = mapped_column(String(10))",
    "priority: Mapped[str | None]",
    'priority: Mapped[str] = mapped_column(default="low")',
    'priority: Mapped[str] = mapped_column(server_default="low")',
    'priority: Mapped[str] = mapped_column(insert_default="low")',
    "level = Column(Integer)",
    "level = Column(Integer, nullable=False, default=1)",
    "seq = Column(Integer, Identity(), nullable=False)",
    "total = Column(Integer, Computed('a + b'), nullable=False)",
    'project: Mapped["Project"] = relationship(back_populates="tasks")',
    "tags: Mapped[list['Tag']] = relationship(secondary=task_tags)",
    '__table_args__ = (UniqueConstraint("user_id", "title"),)',
  ])("%s needs nothing", (line) => {
    expect(plan(mapped(line))).toMatchObject({ request: [], fill: [], problem: null });
  });

  it("reads the columns' details", () => {
    expect(modelColumnDetails(mapped('project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))'), "Task")?.find((c) => c.name === "id")).toEqual({
      name: "id",
      line: 3,
      type: "int",
      nullable: false,
      hasDefault: true, // an int primary key autoincrements
      primaryKey: true,
      foreignKey: null,
      maxLength: null,
    });
  });
});

describe("a required column the routes cannot take from a request", () => {
  it.each([
    ["status: Status", /^Task\.status \(backend\/models\.py:10\) is NOT NULL without a default, and its type \(Status\) is not one the generated routes can take from a request as it is \(str, int, float, bool, datetime, date, UUID\): give it a default \(a default=, default_factory= or server_default=\) or make it nullable, then rerun to get the task routes$/],
    ["amount: Decimal", /Task\.amount \(backend\/models\.py:10\).*\(Decimal\)/],
    ["tags: list[str] = Field(sa_column=Column(JSON, nullable=False))", /Task\.tags \(backend\/models\.py:10\).*\(list\[str\]\)/],
    ["owner_id: int = Field(foreign_key='users.id')", /Task\.owner_id \(backend\/models\.py:10\) is NOT NULL without a default and names the owner, but it is int while Better Auth's user ids are strings/],
    ["json: str", /Task\.json \(backend\/models\.py:10\) is NOT NULL without a default, but json cannot be a field of a pydantic request model/],
  ])("%s stops the task routes, naming the model's file:line, the column and what to change", (field, message) => {
    expect(plan(sqlModelTask(field)).problem).toMatch(message);
    expect(taskModelProblem({ module: "models", file: FILE, className: "Task", userIdType: "str" }, sqlModelTask(field))).toMatch(message);
  });

  it("names every such column", () => {
    expect(plan(sqlModelTask("status: Status", "kind: Kind")).problem).toMatch(/Task\.status \(backend\/models\.py:10\).*; Task\.kind \(backend\/models\.py:11\)/);
  });

  it("leaves a model whose module is unknown alone", () => {
    expect(taskColumnsPlan(null, "Task", FILE)).toMatchObject({ request: [], fill: [], problem: null });
  });
});
