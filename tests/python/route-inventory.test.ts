// The route inventory: every route a FastAPI app serves (through include_router prefixes at any depth, imports
// resolved, factories followed), each classified public / protected / owned / other with the reason, and what it
// could not read exactly.
import { describe, expect, it } from "vitest";
import { PythonSources } from "../../generators/lib/detect/python-sources.js";
import { formatRouteTable, routeInventory, type RouteInfo } from "../../generators/lib/python/routes.js";
import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";

const removed = removedAfterEach();

const REQUIREMENTS = "fastapi>=0.110\nsqlmodel\nuvicorn\n";

/** The inventory of a backend folder (`backend/`), its app given as detection reports it. */
function inventoryOf(files: Record<string, string>, app = { file: "backend/app/main.py", module: "app.main", variable: "app" }) {
  const root = removed(makeFixture(Object.fromEntries(Object.entries({ "requirements.txt": REQUIREMENTS, ...files }).map(([rel, text]) => [`backend/${rel}`, text])), "routes-"));
  return routeInventory(new PythonSources(root, "backend"), app);
}

const summary = (routes: RouteInfo[]) => routes.map((route) => `${route.method} ${route.path} ${route.routeClass}`).sort();
const find = (routes: RouteInfo[], method: string, path: string) => {
  const found = routes.filter((route) => route.method === method && route.path === path);
  expect(found, `${method} ${path} in ${summary(routes).join(", ")}`).toHaveLength(1);
  return found[0];
};

const MODELS_PACKAGE = {
  "app/__init__.py": "",
  "app/models/__init__.py": `from .task import Task, TaskCreate\nfrom .note import Note\n\n__all__ = ["Task", "TaskCreate", "Note"]\n`,
  "app/models/task.py": `from typing import Optional

from sqlmodel import Field, SQLModel


class TaskBase(SQLModel):
    title: str
    completed: bool = False


class Task(TaskBase, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: str = Field(index=True)


class TaskCreate(TaskBase):
    pass
`,
  "app/models/note.py": `from sqlmodel import Field, SQLModel


class Note(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    body: str
`,
  "app/db.py": `from sqlmodel import Session, create_engine

engine = create_engine("sqlite:///app.db")


def get_session():
    with Session(engine) as session:
        yield session
`,
};

const FLAT = {
  ...MODELS_PACKAGE,
  "app/main.py": `from fastapi import FastAPI

from app.routers import notes, tasks
from .routers.keys import router as keys_router

app = FastAPI(title="Tasks")

app.include_router(tasks.router)
app.include_router(notes.router, prefix="/api")
app.include_router(keys_router)


@app.get("/health")
def health():
    return {"status": "ok"}


@app.get("/")
async def root():
    return {"name": "tasks"}


@app.get("/api/info")
def info():
    return {"version": "1.0"}
`,
  "app/routers/__init__.py": "",
  "app/routers/tasks.py": `from fastapi import APIRouter, Depends, HTTPException
from sqlmodel import Session, select

from app.db import get_session
from app.models import Task, TaskCreate

router = APIRouter(prefix="/api/tasks", tags=["tasks"])


@router.get("/")
def list_tasks(session: Session = Depends(get_session)):
    return session.exec(select(Task)).all()


@router.post("/", status_code=201)
async def create_task(data: TaskCreate, session: Session = Depends(get_session)):
    task = Task.model_validate(data)
    session.add(task)
    session.commit()
    return task


def _load(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise HTTPException(status_code=404)
    return task


@router.api_route("/{task_id}", methods=["GET", "HEAD"])
def read_task(task_id: int, session: Session = Depends(get_session)):
    return _load(session, task_id)
`,
  "app/routers/notes.py": `from fastapi import APIRouter, Depends
from sqlmodel import Session, select

from app import models
from app.db import get_session

router = APIRouter(prefix="/notes")


@router.get("")
def list_notes(session: Session = Depends(get_session)):
    return session.exec(select(models.Note)).all()
`,
  "app/routers/keys.py": `from fastapi import APIRouter, Depends, Header, HTTPException


def verify_api_key(x_api_key: str = Header()):
    if x_api_key != "secret":
        raise HTTPException(status_code=401)


router = APIRouter(prefix="/internal", dependencies=[Depends(verify_api_key)])


@router.get("/stats")
def stats():
    return {"tasks": 3}


@router.get("/health")
def internal_health():
    return {"ok": True}
`,
  "app/routers/legacy.py": `from fastapi import APIRouter

router = APIRouter(prefix="/legacy")


@router.get("/old")
def old():
    return []
`,
};

describe("routeInventory", () => {
  it("lists a flat app's routes with full paths, handlers, lines and classes", () => {
    const { routes, unresolved } = inventoryOf(FLAT);
    expect(summary(routes)).toEqual(
      [
        "GET / public",
        "GET /api/info other",
        "GET /api/notes owned",
        "GET /api/tasks/ owned",
        "GET /api/tasks/{task_id} owned",
        "GET /health public",
        "GET /internal/health protected",
        "GET /internal/stats protected",
        "HEAD /api/tasks/{task_id} owned",
        "POST /api/tasks/ owned",
      ].sort(),
    );
    const list = find(routes, "GET", "/api/tasks/");
    expect(list).toMatchObject({
      file: "backend/app/routers/tasks.py",
      line: 11,
      handler: "list_tasks",
      async: false,
      router: { module: "app.routers.tasks", variable: "router" },
      reason: "uses Task (has user_id)",
      dependencies: ["get_session"],
    });
    expect(list.models).toEqual([{ className: "Task", module: "app.models.task", file: "backend/app/models/task.py", ownerColumn: "user_id" }]);
    expect(find(routes, "POST", "/api/tasks/")).toMatchObject({ handler: "create_task", async: true, routeClass: "owned" });
    // The model is used in a helper of the same module.
    expect(find(routes, "GET", "/api/tasks/{task_id}").models.map((m) => m.className)).toEqual(["Task"]);
    // `models.Note` through `from app import models`, the package re-exporting it; Note has no owner column.
    expect(find(routes, "GET", "/api/notes")).toMatchObject({ reason: "uses Note (no owner column)", models: [{ className: "Note", ownerColumn: null }] });
    // A dependency on the router protects every route on it, the health route included (first match wins).
    expect(find(routes, "GET", "/internal/stats")).toMatchObject({ reason: "Depends(verify_api_key) on the router", dependencies: ["verify_api_key"] });
    expect(find(routes, "GET", "/internal/health").routeClass).toBe("protected");
    expect(find(routes, "GET", "/health")).toMatchObject({ reason: "health check", router: { module: "app.main", variable: "app" }, file: "backend/app/main.py" });
    expect(find(routes, "GET", "/api/info")).toMatchObject({ routeClass: "other", dependencies: [], models: [] });
    // The router nobody includes is not served: left out, and reported.
    expect(routes.some((route) => route.path.startsWith("/legacy"))).toBe(false);
    expect(unresolved).toEqual([{ file: "backend/app/routers/legacy.py", line: 3, reason: "router not included by the app" }]);
  });

  it("follows nested routers (api_router with endpoint prefixes under /api/v1) and user-scoped paths", () => {
    const { routes, unresolved } = inventoryOf({
      ...MODELS_PACKAGE,
      "app/main.py": `from fastapi import FastAPI

from app.api.v1.api import api_router

app = FastAPI()
app.include_router(api_router, prefix="/api/v1")
`,
      "app/api/__init__.py": "",
      "app/api/v1/__init__.py": "",
      "app/api/v1/api.py": `from fastapi import APIRouter

from app.api.v1.endpoints import login, tasks, utils

api_router = APIRouter()
api_router.include_router(login.router, tags=["login"])
api_router.include_router(tasks.router, prefix="/tasks", tags=["tasks"])
api_router.include_router(tasks.router, prefix="/{user_id}/tasks", tags=["tasks"])
api_router.include_router(utils.router, prefix="/utils")
`,
      "app/api/v1/deps.py": `from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/login/access-token")


def get_current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> str:
    return token


CurrentUser = Annotated[str, Depends(get_current_user)]


def get_current_active_superuser(current_user: CurrentUser) -> str:
    return current_user
`,
      "app/api/v1/endpoints/__init__.py": "",
      "app/api/v1/endpoints/login.py": `from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

router = APIRouter()


@router.post("/login/access-token")
def login_access_token(form_data: Annotated[OAuth2PasswordRequestForm, Depends()]):
    return {"access_token": "x"}


@router.post("/users/signup")
def register_user():
    return {}
`,
      "app/api/v1/endpoints/tasks.py": `from fastapi import APIRouter
from sqlmodel import select

from app.api.v1.deps import CurrentUser
from app.models import Task

router = APIRouter()


@router.get("/")
def read_tasks(current_user: CurrentUser):
    return select(Task)


@router.get("/{task_id}")
def read_task(task_id: int):
    return select(Task).where(Task.id == task_id)
`,
      "app/api/v1/endpoints/utils.py": `from fastapi import APIRouter, Depends

from app.api.v1 import deps

router = APIRouter()


@router.get("/health-check/")
async def health_check() -> bool:
    return True


@router.post("/test-email/", dependencies=[Depends(deps.get_current_active_superuser)])
def test_email():
    return {}
`,
    });
    expect(summary(routes)).toEqual(
      [
        "GET /api/v1/tasks/ protected",
        "GET /api/v1/tasks/{task_id} owned",
        "GET /api/v1/utils/health-check/ public",
        "GET /api/v1/{user_id}/tasks/ protected",
        "GET /api/v1/{user_id}/tasks/{task_id} owned",
        "POST /api/v1/login/access-token public",
        "POST /api/v1/users/signup public",
        "POST /api/v1/utils/test-email/ protected",
      ].sort(),
    );
    expect(find(routes, "GET", "/api/v1/tasks/")).toMatchObject({
      reason: "CurrentUser (Depends(get_current_user)) on parameter current_user",
      dependencies: ["get_current_user"],
      file: "backend/app/api/v1/endpoints/tasks.py",
      line: 11,
      router: { module: "app.api.v1.endpoints.tasks", variable: "router" },
    });
    // OAuth2PasswordRequestForm parses the sign-in form: it checks nothing.
    expect(find(routes, "POST", "/api/v1/login/access-token")).toMatchObject({ reason: "auth route", dependencies: ["OAuth2PasswordRequestForm"] });
    // A dependency built on one that checks the user protects too.
    expect(find(routes, "POST", "/api/v1/utils/test-email/").reason).toBe("Depends(deps.get_current_active_superuser) on the route (via Depends(get_current_user))");
    expect(unresolved).toEqual([]);
  });

  it("follows an app factory, relative imports and dependencies on the include", () => {
    const { routes } = inventoryOf(
      {
        ...MODELS_PACKAGE,
        "app/main.py": `from fastapi import Depends, FastAPI

from .auth import get_current_user
from .routers import tasks as task_routes


def create_app() -> FastAPI:
    application = FastAPI()
    application.include_router(task_routes.router, prefix="/api", dependencies=[Depends(get_current_user)])
    register_extra(application)

    @application.get("/ping")
    def ping():
        return "pong"

    return application


def register_extra(app: FastAPI) -> None:
    from .routers import extra

    app.include_router(extra.router)


app = create_app()
`,
        "app/auth.py": `def get_current_user():\n    return "u1"\n`,
        "app/routers/__init__.py": "",
        "app/routers/tasks.py": `from fastapi import APIRouter

from ..models import Task

router = APIRouter(prefix="/tasks")


@router.get("")
def list_tasks():
    return Task(title="x")
`,
        "app/routers/extra.py": `from fastapi import APIRouter

router = APIRouter()


@router.get("/extra")
def extra():
    return 1
`,
      },
      { file: "backend/app/main.py", module: "app.main", variable: "app" },
    );
    // register_extra imports its router inside the function: that import is followed too.
    expect(summary(routes)).toEqual(["GET /api/tasks protected", "GET /extra other", "GET /ping public"]);
    expect(find(routes, "GET", "/api/tasks")).toMatchObject({ reason: "Depends(get_current_user) on include_router (backend/app/main.py:9)" });
    expect(find(routes, "GET", "/ping").router).toEqual({ module: "app.main", variable: "application" });
  });

  it("records a non-literal prefix as {?} with an unresolved entry, and lists a router included twice twice", () => {
    const { routes, unresolved } = inventoryOf({
      "app/__init__.py": "",
      "app/config.py": `class Settings:\n    API_V1_STR = "/api/v1"\n\n\nsettings = Settings()\n`,
      "app/main.py": `from fastapi import FastAPI

from app.config import settings
from app.routers.items import router as items_router

app = FastAPI()
app.include_router(items_router, prefix=settings.API_V1_STR)
app.include_router(items_router, prefix=f"{settings.API_V1_STR}/legacy")
app.include_router(items_router, prefix="/v0")
`,
      "app/routers/__init__.py": "",
      "app/routers/items.py": `from fastapi import APIRouter\n\nrouter = APIRouter(prefix="/items")\n\n\n@router.get("/")\ndef list_items():\n    return []\n`,
    });
    expect(summary(routes)).toEqual(["GET /v0/items/ other", "GET {?}/items/ other", "GET {?}/legacy/items/ other"]);
    expect(unresolved).toEqual([
      { file: "backend/app/main.py", line: 7, reason: "prefix settings.API_V1_STR is not a string literal: shown as {?}" },
      { file: "backend/app/main.py", line: 8, reason: 'prefix f"{settings.API_V1_STR}/legacy" is not a string literal: shown as {?}' },
    ]);
  });

  it("reads protection from Security, credentials parameters and Annotated dependencies; SQLAlchemy models count", () => {
    const { routes } = inventoryOf({
      "app/__init__.py": "",
      "app/database.py": `from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n`,
      "app/models.py": `from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .database import Base


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(64))
`,
      "app/main.py": `from typing import Annotated

from fastapi import Depends, FastAPI, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from . import models

bearer = HTTPBearer()
app = FastAPI()


def get_db():
    yield None


@app.get("/a")
def a(creds: HTTPAuthorizationCredentials = Depends(bearer)):
    return 1


@app.get("/b")
def b(user=Security(lambda: None)):
    return 2


@app.delete("/items/{item_id}")
def delete_item(item_id: int, db: Annotated[object, Depends(get_db)]):
    item = db.query(models.Item).get(item_id)
    db.delete(item)


@app.post("/items", dependencies=[Depends(get_db)])
def create_item():
    return models.Item(owner_id="u")
`,
    });
    expect(find(routes, "GET", "/a")).toMatchObject({ routeClass: "protected", reason: "Depends(bearer) on parameter creds" });
    expect(find(routes, "GET", "/b")).toMatchObject({ routeClass: "protected" });
    expect(find(routes, "DELETE", "/items/{item_id}")).toMatchObject({
      routeClass: "owned",
      reason: "uses Item (has owner_id)",
      dependencies: ["get_db"],
      models: [{ className: "Item", module: "app.models", file: "backend/app/models.py", ownerColumn: "owner_id" }],
    });
    expect(find(routes, "POST", "/items")).toMatchObject({ routeClass: "owned", dependencies: ["get_db"] });
  });

  it("formats an aligned table sorted by path then method, then the unresolved lines", () => {
    const table = formatRouteTable(inventoryOf(FLAT));
    const lines = table.split("\n");
    expect(lines[0]).toMatch(/^METHOD +PATH +CLASS +HANDLER +WHY$/);
    const pathColumn = lines[0].indexOf("PATH");
    const classColumn = lines[0].indexOf("CLASS");
    const body = lines.slice(1, lines.indexOf(""));
    expect(body).toHaveLength(10);
    for (const line of body) expect(line[classColumn - 1]).toBe(" ");
    expect(body.map((line) => line.slice(pathColumn, classColumn).trim())).toEqual([
      "/",
      "/api/info",
      "/api/notes",
      "/api/tasks/",
      "/api/tasks/",
      "/api/tasks/{task_id}",
      "/api/tasks/{task_id}",
      "/health",
      "/internal/health",
      "/internal/stats",
    ]);
    expect(body[3]).toMatch(/^GET +\/api\/tasks\/ +owned +list_tasks \(backend\/app\/routers\/tasks\.py:11\) +uses Task \(has user_id\)$/);
    expect(body[4]).toMatch(/^POST /);
    expect(lines.slice(lines.indexOf(""))).toEqual(["", "Unresolved:", "  backend/app/routers/legacy.py:3: router not included by the app"]);
  });
});
