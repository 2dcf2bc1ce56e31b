/** A small Next.js + FastAPI monorepo (no auth) as path → content, for generator, CLI and bench runs. */
export const SMALL_MONOREPO: Record<string, string> = {
  "package.json": JSON.stringify({ name: "small-monorepo", private: true, workspaces: ["frontend"] }, null, 2) + "\n",
  "frontend/package.json":
    JSON.stringify(
      {
        name: "web",
        private: true,
        scripts: { dev: "next dev", build: "next build" },
        dependencies: { next: "^15.5.0", react: "^19.1.0", "react-dom": "^19.1.0" },
        devDependencies: { typescript: "^5.9.0" },
      },
      null,
      2,
    ) + "\n",
  "frontend/tsconfig.json": `{
  "compilerOptions": {
    "strict": true,
    "moduleResolution": "bundler",
    // the App Router's alias
    "paths": { "@/*": ["./*"] },
  },
}
`,
  "frontend/app/page.tsx": "export default function Page() {\n  return <main>Tasks</main>;\n}\n",
  "backend/pyproject.toml": `[project]
name = "api"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = [
    "fastapi>=0.115",
    "uvicorn[standard]",
    "sqlmodel>=0.0.22",
]
`,
  "backend/main.py": `from fastapi import FastAPI

app = FastAPI(title="Tasks API")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
`,
  "backend/db.py": `import os
from collections.abc import Iterator

from sqlmodel import Session, create_engine

engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///./tasks.db"))


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session
`,
  "backend/models.py": `from datetime import datetime, timezone

from sqlmodel import Field, SQLModel


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    description: str | None = None
    completed: bool = False
    user_id: str = Field(index=True)
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
`,
  "backend/routes/__init__.py": "",
  "docker-compose.yml": `services:
  frontend:
    build: ./frontend
    ports:
      - "3000:3000"
    environment:
      NEXT_PUBLIC_API_URL: http://localhost:8000
  # the API
  backend:
    build: ./backend
    ports:
      - "8000:8000"
    environment:
      - DATABASE_URL=sqlite:///./tasks.db
`,
  ".gitignore": "node_modules/\n.next/\n__pycache__/\n*.db\n",
};
