"use client";

import { useEffect, useState, type FormEvent } from "react";

interface Task {
  id: number;
  title: string;
  description: string | null;
  completed: boolean;
}

const API_URL = process.env.NEXT_PUBLIC_API_URL ?? "http://localhost:8000";

export default function TasksPage() {
  const [tasks, setTasks] = useState<Task[]>([]);
  const [title, setTitle] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function load() {
    const res = await fetch(`${API_URL}/api/tasks`);
    if (!res.ok) return setError(`Could not load tasks (${res.status})`);
    setTasks((await res.json()) as Task[]);
    setError(null);
  }

  async function addTask(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) return;
    const res = await fetch(`${API_URL}/api/tasks`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ title }),
    });
    if (!res.ok) return setError(`Could not add the task (${res.status})`);
    setTitle("");
    await load();
  }

  async function toggle(task: Task) {
    await fetch(`${API_URL}/api/tasks/${task.id}/complete`, { method: "PATCH" });
    await load();
  }

  useEffect(() => {
    void load();
  }, []);

  return (
    <main>
      <h1>Tasks</h1>
      <form onSubmit={addTask}>
        <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="What needs doing?" />
        <button type="submit">Add</button>
      </form>
      {error && <p role="alert">{error}</p>}
      <ul>
        {tasks.map((task) => (
          <li key={task.id}>
            <label>
              <input type="checkbox" checked={task.completed} onChange={() => void toggle(task)} />
              {task.title}
            </label>
          </li>
        ))}
      </ul>
    </main>
  );
}
