import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Provider } from "urql";
import { RouterProvider } from "react-router";
import { client } from "./lib/api";
import { AuthProvider } from "./lib/auth";
import { router } from "./routes";
import "./styles/app.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Provider value={client}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </Provider>
  </StrictMode>,
);
