import { useEffect, useState } from "preact/hooks";

/** Hash routes: #/models/weather → ["models", "weather"]. */
export function useRoute(): string[] {
  const read = () =>
    window.location.hash
      .replace(/^#\/?/, "")
      .split("/")
      .filter((part) => part !== "")
      .map((part) => decodeURIComponent(part));
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

export const href = (...parts: (string | number)[]) =>
  `#/${parts.map((part) => encodeURIComponent(String(part))).join("/")}`;
